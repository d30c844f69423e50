-- Contact rows changed since the refresh's watermark, in (systemmodstamp, id) order: one page.
-- Heroku Connect always sets systemmodstamp; a row without one is never read. The row comparison
-- starts an index range scan at the watermark (an OR of the two columns rescanned the index from
-- its start for every page: 24 s of reads for 2.5M rows).
-- params: :after_ts, :after_id, :limit
-- returns: many
SELECT id, sfid, email, phone, mobilephone AS mobile, lastname, isdeleted = 0 AS live, leadsync_id__c AS leadsync_id, systemmodstamp
FROM contact
WHERE (systemmodstamp, id) > (:after_ts, :after_id)
ORDER BY systemmodstamp, id
LIMIT :limit
