-- Fails the exported rows Salesforce rejected or whose mirror row is gone (SYNC_RULES.md §9), as
-- batch_outcome holds them (status, error_code, error_message; crm_object and crm_id stay the
-- mirror row's), if each is still as read (its status and updated_at): a row another run
-- confirmed or failed meanwhile is left alone. Not an attempt: the export counted as one.
-- params: :now, :run_id
-- returns: affected
UPDATE captured_contact
SET status        = o.status,
    error_code    = o.error_code,
    error_message = o.error_message,
    run_id        = :run_id,
    updated_at    = CAST(:now AS timestamptz)
FROM batch_outcome o
WHERE captured_contact.id = o.id
  AND captured_contact.status = o.claimed_status
  AND captured_contact.updated_at IS NOT DISTINCT FROM o.claimed_version
