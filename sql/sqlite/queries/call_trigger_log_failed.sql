-- Salesforce's message for mirror rows marked FAILED without an _hc_err: see the PostgreSQL query.
-- Differs from PostgreSQL: the latest entry per row by a correlated MAX(id).
-- params: :table_name, :ids
-- returns: many
SELECT t.record_id, t.sf_message
FROM _trigger_log t
WHERE t.table_name = :table_name AND t.state = 'FAILED' AND t.record_id IN (SELECT value FROM json_each(:ids))
  AND t.id = (SELECT MAX(u.id) FROM _trigger_log u WHERE u.table_name = t.table_name AND u.record_id = t.record_id AND u.state = 'FAILED')
