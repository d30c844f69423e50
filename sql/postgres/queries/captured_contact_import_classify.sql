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
              AND (COALESCE(i.source, c.source) IS DISTINCT FROM c.source
                  OR COALESCE(CAST(i.captured_at AS timestamptz), c.captured_at) IS DISTINCT FROM c.captured_at
                  OR COALESCE(i.captured_by, c.captured_by) IS DISTINCT FROM c.captured_by
                  OR COALESCE(i.assigned_to, c.assigned_to) IS DISTINCT FROM c.assigned_to
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
             THEN 'update'
             ELSE 'unchanged'
           END
    FROM captured_contact c
    WHERE c.external_id = i.external_id), 'new')
