-- The business account of each company key (SYNC_RULES.md §10): of several, the most recent
-- systemmodstamp, then the highest mirror id. :keys is a JSON array of the batch's company keys.
-- Differs from PostgreSQL: no DISTINCT ON; a window ranks them, NULL last explicitly.
-- params: :keys
-- returns: many
SELECT company_key, crm_id, sfid, leadsync_id FROM (
    SELECT k.company_key, k.crm_id, k.sfid, k.leadsync_id,
           row_number() OVER (PARTITION BY k.company_key ORDER BY k.systemmodstamp IS NULL, k.systemmodstamp DESC, k.crm_id DESC) AS rank
    FROM crm_account_key k
    WHERE k.company_key IN (SELECT value FROM json_each(:keys))
) WHERE rank = 1
