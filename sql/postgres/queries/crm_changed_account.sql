-- Account rows changed since the refresh's watermark. A person account carries a person's email
-- and phones; a business account (business) only its phone, which calls match (CALL_RULES.md §4)
-- and captured contacts do not (its keys get priority 4, which their match leaves out).
-- Heroku Connect always sets systemmodstamp; a row without one is never read. The row comparison
-- starts an index range scan at the watermark (an OR of the two columns rescanned the index from
-- its start for every page: 24 s of reads for 2.5M rows).
-- keyed: crm_match_key already holds this version of the record's keys (the same systemmodstamp
-- and sfid), so the refresh leaves them: mostly records a batch of this job has just written,
-- which the next run would otherwise delete and write again (1M records: 10 s). Asked only
-- with :skip_keyed, never in a full load, where the table is empty and has no record index.
-- params: :after_ts, :after_id, :limit, :skip_keyed
-- returns: many
SELECT id, sfid, personemail AS email, phone, personmobilephone AS mobile, lastname,
       isdeleted = false AS live, ispersonaccount = false AS business, leadsync_id__c AS leadsync_id, systemmodstamp,
       CASE WHEN CAST(:skip_keyed AS boolean) THEN EXISTS (
           SELECT 1 FROM crm_match_key k
           WHERE k.crm_id = account.id AND k.crm_object = 'account'
             AND k.systemmodstamp = account.systemmodstamp AND k.sfid IS NOT DISTINCT FROM account.sfid)
       ELSE false END AS keyed
FROM account
WHERE (systemmodstamp, id) > (CAST(:after_ts AS timestamp), CAST(:after_id AS bigint))
ORDER BY systemmodstamp, id
LIMIT :limit
