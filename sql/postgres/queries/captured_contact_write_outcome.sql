-- Writes every row's outcome back (SYNC_RULES.md §8) in the batch's transaction, with the
-- mirror write it describes: one terminal state per processed row.
-- :outcomes is the batch's outcomes as JSON (BatchJSON): [[id, status, error_code, error_message,
-- crm_object, crm_id (the record written or duplicated), owner_sfid, owner_source], ...].
-- params: :outcomes, :now, :run_id
-- returns: affected
UPDATE captured_contact
SET status        = o.status,
    error_code    = o.error_code,
    error_message = o.error_message,
    crm_object    = o.crm_object,
    crm_id        = o.crm_id,
    owner_sfid    = o.owner_sfid,
    owner_source  = o.owner_source,
    exported_at   = CASE WHEN o.status = 'exported' THEN CAST(:now AS timestamptz) ELSE NULL END,
    run_id        = :run_id,
    attempts      = captured_contact.attempts + 1,
    updated_at    = CAST(:now AS timestamptz)
FROM (SELECT CAST(v ->> 0 AS bigint) AS id,
             v ->> 1 AS status,
             v ->> 2 AS error_code,
             v ->> 3 AS error_message,
             v ->> 4 AS crm_object,
             CAST(v ->> 5 AS bigint) AS crm_id,
             v ->> 6 AS owner_sfid,
             v ->> 7 AS owner_source
      FROM jsonb_array_elements(CAST(:outcomes AS jsonb)) AS e(v)) o
WHERE captured_contact.id = o.id
