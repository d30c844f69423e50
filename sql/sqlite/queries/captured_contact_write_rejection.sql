-- Fails the exported rows Salesforce rejected or whose mirror row is gone (SYNC_RULES.md §9), as
-- batch_outcome holds them (status, error_code, error_message; crm_object and crm_id stay the
-- mirror row's), if each is still as read. Not an attempt: the export counted as one.
-- Differs from PostgreSQL: not UPDATE ... FROM (see captured_contact_write_outcome).
-- params: :now, :run_id
-- returns: affected
UPDATE captured_contact
SET (status, error_code, error_message) =
        (SELECT o.status, o.error_code, o.error_message FROM batch_outcome o WHERE o.id = captured_contact.id),
    run_id     = :run_id,
    updated_at = :now
WHERE id IN (SELECT id FROM batch_outcome)
  AND EXISTS (SELECT 1 FROM batch_outcome o
              WHERE o.id = captured_contact.id AND o.claimed_status = captured_contact.status
                AND o.claimed_version IS captured_contact.updated_at)
