-- Re-imported external ids classified 'update' take the file's values; columns absent from
-- the file keep their stored values. Only a row still pending: one a run exported or failed
-- since the classification (on PostgreSQL this waits for the batch holding the row) is left
-- alone, and the import counts it so (`affected`).
-- params: :now
-- returns: affected
UPDATE captured_contact AS c
   SET source = COALESCE(i.source, c.source),
       captured_at = COALESCE(i.captured_at, c.captured_at),
       captured_by = COALESCE(i.captured_by, c.captured_by),
       assigned_to = COALESCE(i.assigned_to, c.assigned_to),
       target_object = COALESCE(i.target_object, c.target_object),
       salutation = COALESCE(i.salutation, c.salutation),
       first_name = COALESCE(i.first_name, c.first_name),
       last_name = COALESCE(i.last_name, c.last_name),
       title = COALESCE(i.title, c.title),
       department = COALESCE(i.department, c.department),
       company = COALESCE(i.company, c.company),
       email = COALESCE(i.email, c.email),
       phone = COALESCE(i.phone, c.phone),
       mobile = COALESCE(i.mobile, c.mobile),
       website = COALESCE(i.website, c.website),
       street = COALESCE(i.street, c.street),
       postal_code = COALESCE(i.postal_code, c.postal_code),
       city = COALESCE(i.city, c.city),
       country = COALESCE(i.country, c.country),
       notes = COALESCE(i.notes, c.notes),
       custom_fields = COALESCE(i.custom_fields, c.custom_fields),
       updated_at = :now
  FROM captured_contact_import i
 WHERE c.external_id = i.external_id
   AND i.action = 'update'
   AND c.status = 'pending'
