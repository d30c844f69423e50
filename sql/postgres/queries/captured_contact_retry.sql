-- `retry`: failed rows become pending again (all, or one error code), their failure cleared.
-- params: :error_code, :now
-- returns: affected
UPDATE captured_contact
SET status = 'pending', error_code = NULL, error_message = NULL, crm_object = NULL, crm_id = NULL,
    updated_at = CAST(:now AS timestamptz)
WHERE status = 'failed'
  AND (CAST(:error_code AS text) IS NULL OR error_code = :error_code)
