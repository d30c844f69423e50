-- Writes every row's outcome back (SYNC_RULES.md §8) in the batch's transaction, with the
-- mirror write it describes: one terminal state per processed row.
-- The outcomes are in batch_outcome (id, status, error_code, error_message, crm_object, crm_id
-- (the record written or duplicated), owner_sfid, owner_source, routing_rule, and the row's status and
-- updated_at as its batch claimed it). A row is written only if both are unchanged: a batch
-- claimed ahead read its rows in a snapshot, and another writer (a run beside this one, an
-- import, a retry) may have changed them since; the caller compares the rows written with the
-- batch's and rolls the batch back, to claim it again.
-- Differs from PostgreSQL: not UPDATE ... FROM, for which SQLite scanned captured_contact and
-- looked each row up in batch_outcome (36 against 5.4 us per row here); each row of
-- batch_outcome is looked up by its id instead.
-- OR FAIL: a failing row stops the statement without undoing the rows before it, so SQLite
-- keeps no statement journal (a copy of every page the statement changes, about 1 MB per
-- 5,000 rows). The batch's transaction, or its savepoint in a dry run, is rolled back on any
-- error, which undoes those rows too.
-- params: :now, :run_id
-- returns: affected
UPDATE OR FAIL captured_contact
SET (status, error_code, error_message, crm_object, crm_id, owner_sfid, owner_source, routing_rule, exported_at) =
        (SELECT o.status, o.error_code, o.error_message, o.crm_object, o.crm_id, o.owner_sfid, o.owner_source, o.routing_rule,
                CASE WHEN o.status = 'exported' THEN :now END
         FROM batch_outcome o WHERE o.id = captured_contact.id),
    run_id     = :run_id,
    attempts   = attempts + 1,
    updated_at = :now
WHERE id IN (SELECT id FROM batch_outcome)
  AND EXISTS (SELECT 1 FROM batch_outcome o
              WHERE o.id = captured_contact.id AND o.claimed_status = captured_contact.status
                AND o.claimed_version IS captured_contact.updated_at)
