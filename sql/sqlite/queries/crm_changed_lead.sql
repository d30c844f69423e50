-- Lead rows changed since the refresh's watermark, in (systemmodstamp, id) order: one page.
-- Heroku Connect always sets systemmodstamp; a row without one is never read.
-- params: :after_ts, :after_id, :limit
-- returns: many
SELECT id, sfid, email, phone, mobilephone AS mobile, lastname, isdeleted = 0 AS live, leadsync_id__c AS leadsync_id, systemmodstamp
FROM lead
WHERE (systemmodstamp > :after_ts OR (systemmodstamp = :after_ts AND id > :after_id))
ORDER BY systemmodstamp, id
LIMIT :limit
