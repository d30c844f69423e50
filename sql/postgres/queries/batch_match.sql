-- Matches the batch's keys against the CRM's (SYNC_RULES.md §5): for each row, kind, whether the
-- surname agrees (always for email), and whether the record was exported during this run
-- (exported_at >= run start: by this process or one running beside it), the best record by
-- object priority (Contact > Lead > Person Account), then the most recent systemmodstamp.
-- Each batch key probes crm_match_key's index for its kind (LATERAL with OFFSET 0 keeps the
-- planner from turning this into a merge join that walks the whole index: 0.3 s per batch at
-- 600k keys, and growing with the CRM, against 35 ms): an email key email_key's, a phone key
-- phone_key's and phone2_key's (a record's two phone keys differ, so no record is found twice
-- by one key). The branch of the other kind is cut by its constant filter before it probes.
-- The batch's keys are in batch_key (row_id, kind, key, lastname_key). Business accounts' phones
-- (priority 4) are keyed for calls only and left out here.
-- params: :run_started_at
-- returns: many
WITH candidates AS (
    SELECT b.row_id, b.kind, k.crm_object, k.crm_id, k.sfid, k.leadsync_id, k.priority, k.systemmodstamp,
           (b.kind = 'e' OR k.lastname_key = b.lastname_key) AS same_person,
           (cc.id IS NOT NULL) AS in_run
    FROM batch_key b
    CROSS JOIN LATERAL (SELECT * FROM crm_match_key m WHERE b.kind = 'e' AND m.email_key = b.key
                        UNION ALL
                        SELECT * FROM crm_match_key m WHERE b.kind = 'p' AND m.phone_key = b.key
                        UNION ALL
                        SELECT * FROM crm_match_key m WHERE b.kind = 'p' AND m.phone2_key = b.key
                        OFFSET 0) k
    LEFT JOIN captured_contact cc
           ON cc.external_id = k.leadsync_id AND cc.status = 'exported'
          AND cc.exported_at >= CAST(:run_started_at AS timestamptz)
    WHERE k.priority < 4
), ranked AS (
    SELECT c.*, row_number() OVER (PARTITION BY row_id, kind, same_person, in_run
                                   ORDER BY priority, systemmodstamp DESC NULLS LAST, crm_id DESC) AS rank
    FROM candidates c
)
SELECT row_id, kind, crm_object, crm_id, sfid, leadsync_id, same_person, in_run, priority, systemmodstamp
FROM ranked
WHERE rank = 1
