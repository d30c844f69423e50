-- The record each event's client number belongs to (CALL_RULES.md §4): see the PostgreSQL query.
-- Differs from PostgreSQL: the keys are read with json_each; the main and the recent key indexes
-- (pending IS NULL, pending = 2) are probed by joins of their own. Keys another process's
-- contacts run left pending (pending = 1, merged at its run's end) come as :pending_keys,
-- [[row_id, rid, key], ...]: a number and the rowid of a pending record that may hold it (from
-- the run's PendingKeyIndex, which keeps hashes, so the key is compared here), as in batch_match.
-- params: :keys, :contacts_only, :pending_keys
-- returns: many
WITH keys AS (
    SELECT json_extract(value, '$[0]') AS row_id, json_extract(value, '$[1]') AS key FROM json_each(:keys)
), pending AS (
    SELECT json_extract(value, '$[0]') AS row_id, json_extract(value, '$[1]') AS rid, json_extract(value, '$[2]') AS key
    FROM json_each(:pending_keys)
), found AS (
    SELECT k.row_id, m.* FROM keys k JOIN crm_match_key m ON m.phone_key = k.key AND m.pending IS NULL
    UNION ALL
    SELECT k.row_id, m.* FROM keys k JOIN crm_match_key m ON m.phone_key = k.key AND m.pending = 2
    UNION ALL
    SELECT k.row_id, m.* FROM keys k JOIN crm_match_key m ON m.phone2_key = k.key AND m.pending IS NULL
    UNION ALL
    SELECT k.row_id, m.* FROM keys k JOIN crm_match_key m ON m.phone2_key = k.key AND m.pending = 2
    UNION ALL
    SELECT p.row_id, m.* FROM pending p JOIN crm_match_key m ON m.rowid = p.rid
    WHERE m.pending = 1 AND (m.phone_key = p.key OR m.phone2_key = p.key)
), candidates AS (
    SELECT f.row_id, f.crm_object, f.crm_id, f.priority, f.systemmodstamp
    FROM found f
    WHERE (NOT :contacts_only OR f.crm_object = 'contact')
      AND NOT (f.crm_object = 'lead' AND EXISTS (SELECT 1 FROM lead l WHERE l.id = f.crm_id AND l.isconverted <> 0))
), ranked AS (
    SELECT c.*, row_number() OVER (PARTITION BY row_id
                                   ORDER BY CASE priority WHEN 3 THEN 5 ELSE priority END, systemmodstamp IS NULL, systemmodstamp DESC,
                                            crm_id DESC) AS rank
    FROM candidates c
)
SELECT row_id, crm_object, crm_id FROM ranked WHERE rank = 1
