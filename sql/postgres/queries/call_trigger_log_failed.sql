-- Salesforce's message for mirror rows Heroku Connect marked FAILED without an _hc_err (CALL_RULES.md
-- §8, read as SYNC_RULES.md §9 reads it): the latest FAILED _trigger_log entry of each; run only
-- when the table exists. :ids is a JSON array of the table's mirror ids.
-- params: :table_name, :ids
-- returns: many
SELECT DISTINCT ON (record_id) record_id, sf_message
FROM _trigger_log
WHERE table_name = :table_name AND state = 'FAILED'
  AND record_id IN (SELECT CAST(jsonb_array_elements_text(CAST(:ids AS jsonb)) AS integer))
ORDER BY record_id, id DESC
