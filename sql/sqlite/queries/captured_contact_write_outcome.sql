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
    exported_at   = CASE WHEN o.status = 'exported' THEN :now ELSE NULL END,
    run_id        = :run_id,
    attempts      = captured_contact.attempts + 1,
    updated_at    = :now
FROM (SELECT json_extract(value, '$[0]') AS id,
             json_extract(value, '$[1]') AS status,
             json_extract(value, '$[2]') AS error_code,
             json_extract(value, '$[3]') AS error_message,
             json_extract(value, '$[4]') AS crm_object,
             json_extract(value, '$[5]') AS crm_id,
             json_extract(value, '$[6]') AS owner_sfid,
             json_extract(value, '$[7]') AS owner_source
      FROM json_each(:outcomes)) o
WHERE captured_contact.id = o.id
