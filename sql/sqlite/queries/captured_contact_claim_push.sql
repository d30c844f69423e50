-- Claims the rows named by `push` (staged in push_request), pending or failed before.
-- Differs from PostgreSQL: no row locks; BEGIN IMMEDIATE holds the write lock.
-- Rows this run already processed are not taken again: a row that failed again would otherwise
-- be claimed by every following batch, for ever.
-- params: :limit, :run_id
-- returns: many
SELECT c.id, c.external_id, c.source, c.captured_at, c.captured_by, c.assigned_to, c.target_object, c.salutation, c.first_name, c.last_name, c.title,
       c.department, c.company, c.email, c.phone, c.mobile, c.website, c.street, c.postal_code, c.city, c.country, c.notes,
       c.custom_fields, c.attempts, c.status, c.updated_at,
       (SELECT l.id FROM lead l WHERE l.leadsync_id__c = c.external_id) AS existing_lead_id,
       (SELECT m.id FROM contact m WHERE m.leadsync_id__c = c.external_id) AS existing_contact_id
FROM captured_contact c
WHERE c.external_id IN (SELECT external_id FROM push_request)
  AND c.status IN ('pending', 'failed')
  AND (c.run_id IS NULL OR c.run_id <> :run_id)
ORDER BY c.captured_at, c.id
LIMIT :limit
