-- `retry --calls`: see the PostgreSQL query.
-- params: :error_code, :now
-- returns: affected
UPDATE call_event
SET status = 'pending', error_code = NULL, error_message = NULL, waiting_since = NULL, updated_at = :now
WHERE CASE WHEN :error_code IS NULL THEN status = 'failed'
           ELSE status IN ('failed', 'skipped') AND error_code = :error_code END
