-- Rows per status, for `leadsync status`; of the exported ones, how many Salesforce confirmed
-- (SYNC_RULES.md §9), and of the failed ones, how many it rejected or lost.
-- params: none
-- returns: many
SELECT status, count(*) AS row_count, count(crm_sfid) AS confirmed,
       sum(CASE WHEN error_code IN ('crm_rejected', 'crm_row_missing') THEN 1 ELSE 0 END) AS rejected
FROM captured_contact GROUP BY status ORDER BY status
