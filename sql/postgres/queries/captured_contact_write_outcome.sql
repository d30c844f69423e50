-- Writes every row's outcome back (SYNC_RULES.md §8) in the batch's transaction, with the
-- mirror write it describes: one terminal state per processed row.
-- The outcomes are in batch_outcome (id, status, error_code, error_message, crm_object, crm_id
-- (the record written or duplicated), owner_sfid, owner_source, routing_rule, and the row's status and
-- updated_at as its batch claimed it). A row is written only if both are unchanged: the caller
-- compares the rows written with the batch's and rolls the batch back when one changed since
-- its claim (on PostgreSQL a claim locks its rows, so none does; this is the same check for
-- both engines).
-- params: :now, :run_id
-- returns: affected
UPDATE captured_contact
SET status        = o.status,
    error_code    = o.error_code,
    error_message = o.error_message,
    crm_object    = o.crm_object,
    crm_id        = o.crm_id,
    owner_sfid    = o.owner_sfid,
    owner_source  = o.owner_source,
    routing_rule  = o.routing_rule,
    exported_at   = CASE WHEN o.status = 'exported' THEN CAST(:now AS timestamptz) END,
    run_id        = :run_id,
    attempts      = captured_contact.attempts + 1,
    updated_at    = CAST(:now AS timestamptz)
FROM batch_outcome o
WHERE captured_contact.id = o.id
  AND captured_contact.status = o.claimed_status
  AND captured_contact.updated_at IS NOT DISTINCT FROM o.claimed_version
