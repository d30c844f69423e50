-- `retry`: failed rows (all, or one error code) that stay failed because they were tried
-- :max_attempts times already.
-- params: :error_code, :max_attempts
-- returns: one
SELECT count(*) AS exhausted
FROM captured_contact
WHERE status = 'failed'
  AND (CAST(:error_code AS text) IS NULL OR error_code = :error_code)
  AND attempts >= :max_attempts
