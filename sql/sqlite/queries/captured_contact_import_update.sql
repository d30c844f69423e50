-- Re-imported external ids: a row still pending takes the file's values; an exported or failed
-- row is left alone (it is history). Columns absent from the file keep their stored values.
-- params: :now
-- returns: affected
UPDATE captured_contact AS c
   SET source = COALESCE(i.source, c.source),
       captured_at = COALESCE(i.captured_at, c.captured_at),
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
       updated_at = :now
  FROM captured_contact_import i
 WHERE c.external_id = i.external_id
   AND c.status = 'pending'
   AND (COALESCE(i.source, c.source) IS NOT c.source
       OR COALESCE(i.captured_at, c.captured_at) IS NOT c.captured_at
       OR COALESCE(i.captured_by, c.captured_by) IS NOT c.captured_by
       OR COALESCE(i.target_object, c.target_object) IS NOT c.target_object
       OR COALESCE(i.salutation, c.salutation) IS NOT c.salutation
       OR COALESCE(i.first_name, c.first_name) IS NOT c.first_name
       OR COALESCE(i.last_name, c.last_name) IS NOT c.last_name
       OR COALESCE(i.title, c.title) IS NOT c.title
       OR COALESCE(i.department, c.department) IS NOT c.department
       OR COALESCE(i.company, c.company) IS NOT c.company
       OR COALESCE(i.email, c.email) IS NOT c.email
       OR COALESCE(i.phone, c.phone) IS NOT c.phone
       OR COALESCE(i.mobile, c.mobile) IS NOT c.mobile
       OR COALESCE(i.website, c.website) IS NOT c.website
       OR COALESCE(i.street, c.street) IS NOT c.street
       OR COALESCE(i.postal_code, c.postal_code) IS NOT c.postal_code
       OR COALESCE(i.city, c.city) IS NOT c.city
       OR COALESCE(i.country, c.country) IS NOT c.country
       OR COALESCE(i.notes, c.notes) IS NOT c.notes
       OR COALESCE(i.custom_fields, c.custom_fields) IS NOT c.custom_fields)
