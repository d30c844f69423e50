-- Account rows changed since the company keys' watermark (SYNC_RULES.md §10), in
-- (systemmodstamp, id) order: one page. A live business account is keyed by its name; a person
-- account, a deleted one, or one no Contact could reference (neither an sfid nor a leadsync id)
-- loses its key (live = false). keyed: crm_account_key already holds this version of it (the same
-- systemmodstamp and sfid): mostly accounts a batch of this job has just created.
-- params: :after_ts, :after_id, :limit, :skip_keyed
-- returns: many
SELECT id, sfid, name,
       (isdeleted = false AND ispersonaccount = false AND (sfid IS NOT NULL OR leadsync_id__c IS NOT NULL)) AS live,
       leadsync_id__c AS leadsync_id, systemmodstamp,
       CASE WHEN CAST(:skip_keyed AS boolean) THEN EXISTS (
           SELECT 1 FROM crm_account_key k
           WHERE k.crm_id = account.id AND k.systemmodstamp = account.systemmodstamp AND k.sfid IS NOT DISTINCT FROM account.sfid)
       ELSE false END AS keyed
FROM account
WHERE (systemmodstamp, id) > (CAST(:after_ts AS timestamp), CAST(:after_id AS bigint))
ORDER BY systemmodstamp, id
LIMIT :limit
