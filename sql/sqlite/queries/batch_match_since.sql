-- Catches a batch up on the batches committed since :after_seq (see PostgreSQL): every
-- candidate among the keys stamped above it, with what batch_match ranks by.
-- Differs from PostgreSQL: the batch's keys come as JSON, as batch_match takes them.
-- :keys is the batch's keys as JSON (BatchJSON): [[row_id, kind, key, lastname_key], ...].
-- params: :keys, :after_seq, :run_started_at
-- returns: many
SELECT b.row_id, b.kind, k.crm_object, k.crm_id, k.sfid, k.leadsync_id,
       (b.kind = 'e' OR k.lastname_key = b.lastname_key) AS same_person,
       EXISTS (SELECT 1 FROM captured_contact cc
               WHERE cc.external_id = k.leadsync_id AND cc.status = 'exported'
                 AND cc.exported_at >= :run_started_at) AS in_run,
       k.priority, k.systemmodstamp
FROM (SELECT * FROM crm_match_key WHERE batch_seq > :after_seq) k
JOIN (SELECT json_extract(value, '$[0]') AS row_id,
             json_extract(value, '$[1]') AS kind,
             json_extract(value, '$[2]') AS key,
             json_extract(value, '$[3]') AS lastname_key
      FROM json_each(:keys)) b
  ON k.key = b.key AND k.kind = b.kind
