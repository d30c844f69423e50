-- A run's failed rows per error code, for `leadsync report RUN_ID`.
-- `status = 'failed'` stays a literal: it is what lets the planner use the partial index
-- captured_contact_failed_run_idx (migration 010), the only index on run_id.
-- params: :run_id
-- returns: many
SELECT error_code, count(*) AS row_count FROM captured_contact
WHERE run_id = :run_id AND status = 'failed'
GROUP BY error_code ORDER BY count(*) DESC, error_code
