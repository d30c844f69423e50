-- Matches the batch's keys against the CRM's (SYNC_RULES.md §5): for each row, kind, whether the
-- surname agrees (always for email), and whether the record was exported during this run, the
-- best record by object priority (Contact > Lead > Person Account), then the most recent
-- systemmodstamp.
-- Differs from PostgreSQL: the keys come as JSON, not in a batch_key table (SQLite's catch-up
-- never runs, and loading a temporary table made the match twice as slow as json_each here);
-- ISO-8601 text compares as time; NULL sorts first, so it is ordered explicitly last.
-- :keys is the batch's keys as JSON (BatchJSON): [[row_id, kind, key, lastname_key], ...].
-- params: :keys, :run_started_at
-- returns: many
WITH candidates AS (
    SELECT b.row_id, b.kind, k.crm_object, k.crm_id, k.sfid, k.leadsync_id, k.priority, k.systemmodstamp,
           (b.kind = 'e' OR k.lastname_key = b.lastname_key) AS same_person,
           (cc.id IS NOT NULL) AS in_run
    FROM (SELECT json_extract(value, '$[0]') AS row_id,
                 json_extract(value, '$[1]') AS kind,
                 json_extract(value, '$[2]') AS key,
                 json_extract(value, '$[3]') AS lastname_key
          FROM json_each(:keys)) b
    JOIN crm_match_key k ON k.key = b.key AND k.kind = b.kind
    LEFT JOIN captured_contact cc
           ON cc.external_id = k.leadsync_id AND cc.status = 'exported'
          AND cc.exported_at >= :run_started_at
), ranked AS (
    SELECT c.*, row_number() OVER (PARTITION BY row_id, kind, same_person, in_run
                                   ORDER BY priority, systemmodstamp IS NULL, systemmodstamp DESC, crm_id DESC) AS rank
    FROM candidates c
)
SELECT row_id, kind, crm_object, crm_id, sfid, leadsync_id, same_person, in_run, priority, systemmodstamp
FROM ranked
WHERE rank = 1
