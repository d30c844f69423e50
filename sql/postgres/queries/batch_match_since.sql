-- Catches a batch matched before it held the batch lock up on the batches committed since
-- (SYNC_RULES.md §5): the keys stamped above :after_seq (a range of the partial batch_seq
-- index, one or a few batches' keys) hash-joined to the batch's keys. Returns every candidate,
-- with what batch_match ranks by; the caller keeps the better of these and batch_match's best.
-- The range is MATERIALIZED: otherwise the planner may probe the key index once per batch key
-- (30 ms per batch of 5,000 here, as much as the match itself), where the range takes 3 ms.
-- Runs between planner_nestloop_off and _on (see there); in_run is a subquery, so it still
-- probes captured_contact's index for the few candidates rather than hashing the whole table.
-- The batch's keys are in batch_key (row_id, kind, key, lastname_key), as batch_match left them.
-- params: :after_seq, :run_started_at
-- returns: many
WITH k AS MATERIALIZED (
    SELECT * FROM crm_match_key WHERE batch_seq > CAST(:after_seq AS bigint)
)
SELECT b.row_id, b.kind, k.crm_object, k.crm_id, k.sfid, k.leadsync_id,
       (b.kind = 'e' OR k.lastname_key = b.lastname_key) AS same_person,
       EXISTS (SELECT 1 FROM captured_contact cc
               WHERE cc.external_id = k.leadsync_id AND cc.status = 'exported'
                 AND cc.exported_at >= CAST(:run_started_at AS timestamptz)) AS in_run,
       k.priority, k.systemmodstamp
FROM k
JOIN batch_key b ON k.key = b.key AND k.kind = b.kind
