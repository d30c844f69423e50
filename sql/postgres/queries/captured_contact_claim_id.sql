-- Claims one row by id: the row that alone broke its batch, to fail it with the database's
-- reason. Pending or failed (push re-pushes failed rows).
-- params: :id
-- returns: one
SELECT c.id, c.external_id, c.source, c.captured_at, c.captured_by, c.assigned_to, c.target_object, c.salutation, c.first_name, c.last_name, c.title,
       c.department, c.company, c.email, c.phone, c.mobile, c.website, c.street, c.postal_code, c.city, c.country, c.notes,
       c.custom_fields, c.attempts, c.status, c.updated_at,
       (SELECT l.id FROM lead l WHERE l.leadsync_id__c = c.external_id) AS existing_lead_id,
       (SELECT m.id FROM contact m WHERE m.leadsync_id__c = c.external_id) AS existing_contact_id
FROM captured_contact c
WHERE c.id = :id AND c.status IN ('pending', 'failed')
FOR UPDATE OF c
