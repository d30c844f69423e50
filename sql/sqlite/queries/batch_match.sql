-- Matches the batch's keys against the CRM's (SYNC_RULES.md §5): for each row, kind, whether the
-- surname agrees (always for email), and whether the record was exported during this run, the
-- best record by object priority (Contact > Lead > Person Account), then the most recent
-- systemmodstamp.
-- Differs from PostgreSQL: the keys come as JSON, not in a batch_key table (SQLite's catch-up
-- never runs, and loading a temporary table made the match twice as slow as json_each here);
-- ISO-8601 text compares as time; NULL sorts first, so it is ordered explicitly last.
-- An email key is looked up in email_key's indexes, a phone key in phone_key's and phone2_key's
-- (a record's two phone keys differ, so no record is found twice by one key). The email and
-- phone keys come as two arrays, each read in place (NOT MATERIALIZED) by the joins that probe
-- its indexes. One array of both, read by each of three joins, took 26.5 ms a batch of 12,500
-- keys here, and 220 ms materialised first, against 14.8 ms. A large run sends only the keys its
-- KeyFilter may find in an index (SyncJob.keyParameters).
-- :email_keys, :phone_keys are the batch's keys as JSON (BatchJSON): [[row_id, kind, key,
-- lastname_key], ...].
-- The main indexes hold the keys that are not pending (migration 012: `pending IS NULL` lets the
-- partial indexes serve; SQLite 3.40 does not see that term beside an OR and scanned the table,
-- so phone_key and phone2_key are two joins), the recent ones those of the records merged into
-- the recent level (migration 013: `pending = 2`), each probed by a join of its own. Pending keys (the new records of runs not yet merged) come from the run's
-- PendingKeyIndex as :pending_keys, [[row_id, kind, rid, key, lastname_key], ...]: a batch
-- key and the rowid of a pending record that may hold it (the index keeps a hash of each key, so
-- the key is compared here). A record merged since the index read it is found by its index.
-- Business accounts' phones (priority 4) are keyed for calls only and left out here.
-- params: :email_keys, :phone_keys, :pending_keys, :run_started_at
-- returns: many
WITH batch_email AS NOT MATERIALIZED (
    SELECT json_extract(value, '$[0]') AS row_id, json_extract(value, '$[1]') AS kind,
           json_extract(value, '$[2]') AS key, json_extract(value, '$[3]') AS lastname_key
    FROM json_each(:email_keys)
), batch_phone AS NOT MATERIALIZED (
    SELECT json_extract(value, '$[0]') AS row_id, json_extract(value, '$[1]') AS kind,
           json_extract(value, '$[2]') AS key, json_extract(value, '$[3]') AS lastname_key
    FROM json_each(:phone_keys)
), batch_pending AS (
    SELECT json_extract(value, '$[0]') AS row_id, json_extract(value, '$[1]') AS kind, json_extract(value, '$[2]') AS rid,
           json_extract(value, '$[3]') AS key, json_extract(value, '$[4]') AS lastname_key
    FROM json_each(:pending_keys)
), found AS (
    SELECT b.row_id, b.kind, b.lastname_key AS batch_lastname_key, k.*
    FROM batch_email b
    JOIN crm_match_key k ON k.email_key = b.key AND k.pending IS NULL
    UNION ALL
    SELECT b.row_id, b.kind, b.lastname_key, k.*
    FROM batch_email b
    JOIN crm_match_key k ON k.email_key = b.key AND k.pending = 2
    UNION ALL
    SELECT b.row_id, b.kind, b.lastname_key, k.*
    FROM batch_phone b
    JOIN crm_match_key k ON k.phone_key = b.key AND k.pending IS NULL
    UNION ALL
    SELECT b.row_id, b.kind, b.lastname_key, k.*
    FROM batch_phone b
    JOIN crm_match_key k ON k.phone_key = b.key AND k.pending = 2
    UNION ALL
    SELECT b.row_id, b.kind, b.lastname_key, k.*
    FROM batch_phone b
    JOIN crm_match_key k ON k.phone2_key = b.key AND k.pending IS NULL
    UNION ALL
    SELECT b.row_id, b.kind, b.lastname_key, k.*
    FROM batch_phone b
    JOIN crm_match_key k ON k.phone2_key = b.key AND k.pending = 2
    UNION ALL
    SELECT b.row_id, b.kind, b.lastname_key, k.*
    FROM batch_pending b
    JOIN crm_match_key k ON k.rowid = b.rid
    WHERE k.pending = 1 AND CASE b.kind WHEN 'e' THEN k.email_key = b.key ELSE (k.phone_key = b.key OR k.phone2_key = b.key) END
), candidates AS (
    SELECT f.row_id, f.kind, f.crm_object, f.crm_id, f.sfid, f.leadsync_id, f.priority, f.systemmodstamp,
           (f.kind = 'e' OR f.lastname_key = f.batch_lastname_key) AS same_person,
           (cc.id IS NOT NULL) AS in_run
    FROM found f
    LEFT JOIN captured_contact cc
           ON cc.external_id = f.leadsync_id AND cc.status = 'exported'
          AND cc.exported_at >= :run_started_at
    WHERE f.priority < 4
), ranked AS (
    SELECT c.*, row_number() OVER (PARTITION BY row_id, kind, same_person, in_run
                                   ORDER BY priority, systemmodstamp IS NULL, systemmodstamp DESC, crm_id DESC) AS rank
    FROM candidates c
)
SELECT row_id, kind, crm_object, crm_id, sfid, leadsync_id, same_person, in_run, priority, systemmodstamp
FROM ranked
WHERE rank = 1
