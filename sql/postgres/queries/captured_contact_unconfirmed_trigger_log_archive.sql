-- The exported rows whose mirror row (still there, no sfid) has a FAILED entry in Heroku Connect's
-- _trigger_log_archive (SYNC_RULES.md §9), with the latest such entry's message; run only when the table exists.
-- An entry counts when its table_name is the mirror table's bare lower-case name and its
-- record_id the mirror row's id (mirror ids are never reused).
-- params: none
-- returns: many
SELECT c.id, c.external_id, c.source, c.captured_at, c.captured_by, c.assigned_to, c.target_object, c.salutation, c.first_name, c.last_name, c.title,
       c.department, c.company, c.email, c.phone, c.mobile, c.website, c.street, c.postal_code, c.city, c.country, c.notes,
       c.custom_fields, c.attempts, c.status, c.updated_at, c.crm_object, c.crm_id, t.sf_message
FROM captured_contact c
LEFT JOIN lead l ON c.crm_object = 'lead' AND l.id = c.crm_id
LEFT JOIN contact m ON c.crm_object = 'contact' AND m.id = c.crm_id
JOIN LATERAL (SELECT e.sf_message FROM _trigger_log_archive e
              WHERE e.table_name = c.crm_object AND e.record_id = c.crm_id AND e.state = 'FAILED'
              ORDER BY e.id DESC LIMIT 1) t ON true
WHERE c.status = 'exported' AND c.crm_sfid IS NULL AND c.confirmed_at IS NULL
  AND COALESCE(l.id, m.id) IS NOT NULL AND COALESCE(l.sfid, m.sfid) IS NULL
