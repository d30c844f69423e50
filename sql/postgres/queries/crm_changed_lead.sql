-- Lead rows changed since the refresh's watermark, in (systemmodstamp, id) order: one page.
-- Heroku Connect always sets systemmodstamp; a row without one is never read. The row comparison
-- starts an index range scan at the watermark (an OR of the two columns rescanned the index from
-- its start for every page: 24 s of reads for 2.5M rows).
-- keyed: crm_match_key already holds this version of the record's keys (the same systemmodstamp
-- and sfid), so the refresh leaves them: mostly records a batch of this job has just written,
-- which the next run would otherwise delete and write again (1M records: 10 s). Asked only
-- with :skip_keyed, never in a full load, where the table is empty and has no record index.
-- params: :after_ts, :after_id, :limit, :skip_keyed
-- returns: many
SELECT id, sfid, email, phone, mobilephone AS mobile, lastname, isdeleted = false AS live, leadsync_id__c AS leadsync_id, systemmodstamp,
       CASE WHEN CAST(:skip_keyed AS boolean) THEN EXISTS (
           SELECT 1 FROM crm_match_key k
           WHERE k.crm_id = lead.id AND k.crm_object = 'lead'
             AND k.systemmodstamp = lead.systemmodstamp AND k.sfid IS NOT DISTINCT FROM lead.sfid)
       ELSE false END AS keyed
FROM lead
WHERE (systemmodstamp, id) > (CAST(:after_ts AS timestamp), CAST(:after_id AS bigint))
ORDER BY systemmodstamp, id
LIMIT :limit
