-- Writes a call batch's outcomes: see the PostgreSQL query.
-- Differs from PostgreSQL: a row-value SET from a correlated subquery; IS for the NULL-safe compare.
-- params: :now, :run_id
-- returns: affected
UPDATE OR FAIL call_event
SET (status, error_code, error_message, crm_object, crm_id, task_count, owner_sfid, owner_source, waiting_since, logged_at) =
        (SELECT o.status, o.error_code, o.error_message, o.crm_object, o.crm_id, o.task_count, o.owner_sfid, o.owner_source,
                o.waiting_since, CASE WHEN o.status = 'logged' THEN :now END
         FROM call_outcome o WHERE o.id = call_event.id),
    run_id     = :run_id,
    attempts   = attempts + 1,
    updated_at = :now
WHERE id IN (SELECT id FROM call_outcome)
  AND EXISTS (SELECT 1 FROM call_outcome o
              WHERE o.id = call_event.id AND o.claimed_status = call_event.status AND o.claimed_version IS call_event.updated_at)
