-- Writes a call batch's outcomes (CALL_RULES.md §10) in the batch's transaction, with the CRM
-- writes they describe: each event only if its status and updated_at are still as claimed (the
-- caller rolls the batch back when one changed). logged_at is set once logged; waiting_since is
-- kept while an event waits and cleared otherwise.
-- params: :now, :run_id
-- returns: affected
UPDATE call_event
SET status        = o.status,
    error_code    = o.error_code,
    error_message = o.error_message,
    crm_object    = o.crm_object,
    crm_id        = o.crm_id,
    task_count    = o.task_count,
    owner_sfid    = o.owner_sfid,
    owner_source  = o.owner_source,
    waiting_since = o.waiting_since,
    logged_at     = CASE WHEN o.status = 'logged' THEN CAST(:now AS timestamptz) END,
    run_id        = :run_id,
    attempts      = call_event.attempts + 1,
    updated_at    = CAST(:now AS timestamptz)
FROM call_outcome o
WHERE call_event.id = o.id
  AND call_event.status = o.claimed_status
  AND call_event.updated_at IS NOT DISTINCT FROM o.claimed_version
