-- Decides once what an import does with each staged line: 'new' (unknown external id),
-- 'update' (a pending row whose values change) or 'unchanged' (exported or failed rows are
-- history; pending rows with the same values need nothing). A column absent from the file is
-- NULL in staging and keeps the stored value. Count, update and insert read this column.
-- params: none
-- returns: affected
UPDATE captured_contact_import AS i
SET action = COALESCE((
    SELECT CASE
             WHEN c.status = 'pending'
              AND (COALESCE(i.source, c.source) IS NOT c.source
                  OR COALESCE(i.captured_at, c.captured_at) IS NOT c.captured_at
                  OR COALESCE(i.captured_by, c.captured_by) IS NOT c.captured_by
                  OR COALESCE(i.assigned_to, c.assigned_to) IS NOT c.assigned_to
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
             THEN 'update'
             ELSE 'unchanged'
           END
    FROM captured_contact c
    WHERE c.external_id = i.external_id), 'new')
