-- The record each event's client number belongs to (CALL_RULES.md §4): its phone key against the
-- phone keys of crm_match_key (every live record's phone and mobile; records this job created
-- count at once, sfid or not). Converted leads never match. The best record by object: Contact,
-- Lead, business Account (priority 4), Person Account (3); then the most recent systemmodstamp,
-- then the highest mirror id. :contacts_only (the deals profile) takes Contacts alone.
-- :keys is the batch's keys as JSON: [[row, key], ...].
-- params: :keys, :contacts_only
-- returns: many
WITH keys AS (
    SELECT CAST(e ->> 0 AS integer) AS row_id, e ->> 1 AS key FROM jsonb_array_elements(CAST(:keys AS jsonb)) e
), candidates AS (
    SELECT k.row_id, m.crm_object, m.crm_id, m.priority, m.systemmodstamp
    FROM keys k
    CROSS JOIN LATERAL (SELECT * FROM crm_match_key m WHERE m.phone_key = k.key
                        UNION ALL
                        SELECT * FROM crm_match_key m WHERE m.phone2_key = k.key
                        OFFSET 0) m
    WHERE (NOT CAST(:contacts_only AS boolean) OR m.crm_object = 'contact')
      AND NOT (m.crm_object = 'lead' AND EXISTS (SELECT 1 FROM lead l WHERE l.id = m.crm_id AND l.isconverted))
), ranked AS (
    SELECT c.*, row_number() OVER (PARTITION BY row_id
                                   ORDER BY CASE priority WHEN 3 THEN 5 ELSE priority END, systemmodstamp DESC NULLS LAST, crm_id DESC) AS rank
    FROM candidates c
)
SELECT row_id, crm_object, crm_id FROM ranked WHERE rank = 1
