-- `retry --calls`: failed call events back to pending; with :error_code, those failed or skipped
-- with that code (CALL_RULES.md §10: after a configuration change). Clears what the last
-- processing left.
-- params: :error_code, :now
-- returns: affected
UPDATE call_event
SET status = 'pending', error_code = NULL, error_message = NULL, waiting_since = NULL, updated_at = CAST(:now AS timestamptz)
WHERE CASE WHEN CAST(:error_code AS text) IS NULL THEN status = 'failed'
           ELSE status IN ('failed', 'skipped') AND error_code = :error_code END
