-- Catches a batch up on the batches committed since :after_seq (see PostgreSQL): every
-- candidate among the keys stamped above it, with what batch_match ranks by.
-- Differs from PostgreSQL: the batch's keys come as JSON, as batch_match takes them, and each
-- probes the key indexes (there is no batch_seq index, see migration 006).
-- Pending keys (migration 012) are not in the key indexes, so this does not see them: it never
-- runs on SQLite (a batch is matched again under the lock instead; see SyncJob.finishBatch).
-- :email_keys, :phone_keys are the batch's keys as JSON, as batch_match takes them.
-- params: :email_keys, :phone_keys, :after_seq, :run_started_at
-- returns: many
WITH batch_email AS (
    SELECT json_extract(value, '$[0]') AS row_id, json_extract(value, '$[1]') AS kind,
           json_extract(value, '$[2]') AS key, json_extract(value, '$[3]') AS lastname_key
    FROM json_each(:email_keys)
), batch_phone AS (
    SELECT json_extract(value, '$[0]') AS row_id, json_extract(value, '$[1]') AS kind,
           json_extract(value, '$[2]') AS key, json_extract(value, '$[3]') AS lastname_key
    FROM json_each(:phone_keys)
), found AS (
    SELECT b.row_id, b.kind, b.lastname_key AS batch_lastname_key, k.*
    FROM batch_email b
    JOIN crm_match_key k ON k.email_key = b.key
    WHERE k.batch_seq > :after_seq
    UNION ALL
    SELECT b.row_id, b.kind, b.lastname_key, k.*
    FROM batch_phone b
    JOIN crm_match_key k ON k.phone_key = b.key OR k.phone2_key = b.key
    WHERE k.batch_seq > :after_seq
)
SELECT f.row_id, f.kind, f.crm_object, f.crm_id, f.sfid, f.leadsync_id,
       (f.kind = 'e' OR f.lastname_key = f.batch_lastname_key) AS same_person,
       EXISTS (SELECT 1 FROM captured_contact cc
               WHERE cc.external_id = f.leadsync_id AND cc.status = 'exported'
                 AND cc.exported_at >= :run_started_at) AS in_run,
       f.priority, f.systemmodstamp
FROM found f
