-- New external ids become pending rows. A file without a source column imports as 'csv'; a
-- row without captured_at counts as captured at import time, so the settle window still applies.
-- The WHERE clause also lets SQLite parse ON CONFLICT after INSERT ... SELECT; DO NOTHING
-- covers a concurrent import of the same id.
-- params: :now
-- returns: affected
INSERT INTO captured_contact (external_id, source, captured_at, captured_by, assigned_to, target_object, salutation, first_name, last_name, title, department, company, email, phone, mobile, website, street, postal_code, city, country, notes, custom_fields, status, updated_at)
SELECT i.external_id, COALESCE(NULLIF(i.source, ''), 'csv'), COALESCE(CAST(i.captured_at AS timestamptz), CAST(:now AS timestamptz)), i.captured_by, i.assigned_to, i.target_object, i.salutation, i.first_name, i.last_name, i.title, i.department, i.company, i.email, i.phone, i.mobile, i.website, i.street, i.postal_code, i.city, i.country, i.notes, i.custom_fields, 'pending', CAST(:now AS timestamptz)
  FROM captured_contact_import i
 WHERE i.action = 'new'
ON CONFLICT (external_id) DO NOTHING
