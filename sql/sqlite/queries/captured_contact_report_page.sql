-- One page of a run's rows for its report (exported.csv, failed.csv, the mails), in id order,
-- with the sfid (or, for a record written in this run, the external id) of the CRM record a
-- row was written to or duplicates. Paged so a million-row run never sits in memory.
-- params: :run_id, :after_id, :limit
-- returns: many
SELECT c.id, c.external_id, c.source, c.captured_at, c.captured_by, c.target_object, c.salutation, c.first_name,
       c.last_name, c.title, c.department, c.company, c.email, c.phone, c.mobile, c.website, c.street,
       c.postal_code, c.city, c.country, c.notes, c.custom_fields, c.status, c.error_code, c.error_message,
       c.crm_object, c.crm_id, c.owner_sfid, c.owner_source, c.exported_at,
       CASE c.crm_object
         WHEN 'lead' THEN (SELECT COALESCE(l.sfid, l.leadsync_id__c) FROM lead l WHERE l.id = c.crm_id)
         WHEN 'contact' THEN (SELECT COALESCE(m.sfid, m.leadsync_id__c) FROM contact m WHERE m.id = c.crm_id)
         WHEN 'account' THEN (SELECT a.sfid FROM account a WHERE a.id = c.crm_id)
       END AS crm_record
FROM captured_contact c
WHERE c.run_id = :run_id AND c.id > :after_id
ORDER BY c.id
LIMIT :limit
