-- The exported rows Salesforce will not confirm (SYNC_RULES.md §9): the mirror row the job wrote
-- is gone (`missing`), or Heroku Connect marked it FAILED without an sfid (`hc_err`, its
-- message). With the captured columns, for the report and the mails. The rows awaiting
-- confirmation come from their partial index; each mirror row is looked up by its id.
-- params: none
-- returns: many
SELECT c.id, c.external_id, c.source, c.captured_at, c.captured_by, c.assigned_to, c.target_object, c.salutation, c.first_name, c.last_name, c.title,
       c.department, c.company, c.email, c.phone, c.mobile, c.website, c.street, c.postal_code, c.city, c.country, c.notes,
       c.custom_fields, c.attempts, c.status, c.updated_at, c.crm_object, c.crm_id,
       (COALESCE(l.id, m.id) IS NULL) AS missing, COALESCE(l._hc_err, m._hc_err) AS hc_err
FROM captured_contact c
LEFT JOIN lead l ON c.crm_object = 'lead' AND l.id = c.crm_id
LEFT JOIN contact m ON c.crm_object = 'contact' AND m.id = c.crm_id
WHERE c.status = 'exported' AND c.crm_sfid IS NULL AND c.confirmed_at IS NULL
  AND (COALESCE(l.id, m.id) IS NULL OR (COALESCE(l.sfid, m.sfid) IS NULL AND COALESCE(l._hc_lastop, m._hc_lastop) = 'FAILED'))
