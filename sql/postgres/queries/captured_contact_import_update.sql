-- Re-imported external ids: a row still pending takes the file's values; an exported or failed
-- row is left alone (it is history). Columns absent from the file keep their stored values.
-- params: :now
-- returns: affected
UPDATE captured_contact AS c
   SET source = COALESCE(i.source, c.source),
       captured_at = COALESCE(CAST(i.captured_at AS timestamptz), c.captured_at),
       captured_by = COALESCE(i.captured_by, c.captured_by),
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
       updated_at = CAST(:now AS timestamptz)
  FROM captured_contact_import i
 WHERE c.external_id = i.external_id
   AND c.status = 'pending'
   AND (COALESCE(i.source, c.source) IS DISTINCT FROM c.source
       OR COALESCE(CAST(i.captured_at AS timestamptz), c.captured_at) IS DISTINCT FROM c.captured_at
       OR COALESCE(i.captured_by, c.captured_by) IS DISTINCT FROM c.captured_by
       OR COALESCE(i.target_object, c.target_object) IS DISTINCT FROM c.target_object
       OR COALESCE(i.salutation, c.salutation) IS DISTINCT FROM c.salutation
       OR COALESCE(i.first_name, c.first_name) IS DISTINCT FROM c.first_name
       OR COALESCE(i.last_name, c.last_name) IS DISTINCT FROM c.last_name
       OR COALESCE(i.title, c.title) IS DISTINCT FROM c.title
       OR COALESCE(i.department, c.department) IS DISTINCT FROM c.department
       OR COALESCE(i.company, c.company) IS DISTINCT FROM c.company
       OR COALESCE(i.email, c.email) IS DISTINCT FROM c.email
       OR COALESCE(i.phone, c.phone) IS DISTINCT FROM c.phone
       OR COALESCE(i.mobile, c.mobile) IS DISTINCT FROM c.mobile
       OR COALESCE(i.website, c.website) IS DISTINCT FROM c.website
       OR COALESCE(i.street, c.street) IS DISTINCT FROM c.street
       OR COALESCE(i.postal_code, c.postal_code) IS DISTINCT FROM c.postal_code
       OR COALESCE(i.city, c.city) IS DISTINCT FROM c.city
       OR COALESCE(i.country, c.country) IS DISTINCT FROM c.country
       OR COALESCE(i.notes, c.notes) IS DISTINCT FROM c.notes
       OR COALESCE(i.custom_fields, c.custom_fields) IS DISTINCT FROM c.custom_fields)
