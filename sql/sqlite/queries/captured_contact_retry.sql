-- `retry`: failed rows become pending again (all, or one error code), their failure cleared;
-- rows already tried :max_attempts times stay failed.
-- params: :error_code, :now, :max_attempts
-- returns: affected
UPDATE captured_contact
SET status = 'pending', error_code = NULL, error_message = NULL, crm_object = NULL, crm_id = NULL,
    updated_at = :now
WHERE status = 'failed'
  AND (CAST(:error_code AS text) IS NULL OR error_code = :error_code)
  AND attempts < :max_attempts
