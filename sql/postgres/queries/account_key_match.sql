-- The business account of each company key (SYNC_RULES.md §10): of several, the most recent
-- systemmodstamp, then the highest mirror id. :keys is a JSON array of the batch's company keys.
-- params: :keys
-- returns: many
SELECT DISTINCT ON (k.company_key) k.company_key, k.crm_id, k.sfid, k.leadsync_id
FROM crm_account_key k
WHERE k.company_key IN (SELECT jsonb_array_elements_text(CAST(:keys AS jsonb)))
ORDER BY k.company_key, k.systemmodstamp DESC NULLS LAST, k.crm_id DESC
