-- Catches a batch matched before it held the batch lock up on the batches committed since
-- (SYNC_RULES.md §5): the keys stamped above :after_seq (a range of the partial batch_seq
-- index, one or a few batches' records) hash-joined to the batch's keys, once per key column
-- (one join with an OR of the three could not be hashed). Returns every candidate, with what
-- batch_match ranks by; the caller keeps the better of these and batch_match's best.
-- The range is MATERIALIZED: otherwise the planner may probe the key index once per batch key
-- (30 ms per batch of 5,000 here, as much as the match itself), where the range takes 3 ms.
-- Runs between planner_nestloop_off and _on (see there); in_run is a subquery, so it still
-- probes captured_contact's index for the few candidates rather than hashing the whole table.
-- The batch's keys are in batch_key (row_id, kind, key, lastname_key), as batch_match left them.
-- params: :after_seq, :run_started_at
-- returns: many
WITH k AS MATERIALIZED (
    SELECT * FROM crm_match_key WHERE batch_seq > CAST(:after_seq AS bigint)
), found AS (
    SELECT b.row_id, b.kind, b.lastname_key AS batch_lastname_key, k.* FROM k JOIN batch_key b ON b.kind = 'e' AND k.email_key = b.key
    UNION ALL
    SELECT b.row_id, b.kind, b.lastname_key, k.* FROM k JOIN batch_key b ON b.kind = 'p' AND k.phone_key = b.key
    UNION ALL
    SELECT b.row_id, b.kind, b.lastname_key, k.* FROM k JOIN batch_key b ON b.kind = 'p' AND k.phone2_key = b.key
)
SELECT f.row_id, f.kind, f.crm_object, f.crm_id, f.sfid, f.leadsync_id,
       (f.kind = 'e' OR f.lastname_key = f.batch_lastname_key) AS same_person,
       EXISTS (SELECT 1 FROM captured_contact cc
               WHERE cc.external_id = f.leadsync_id AND cc.status = 'exported'
                 AND cc.exported_at >= CAST(:run_started_at AS timestamptz)) AS in_run,
       f.priority, f.systemmodstamp
FROM found f
