-- The first :limit of the rows captured_contact_unconfirmed_count counts, oldest export first.
-- params: :cutoff, :limit
-- returns: many
SELECT external_id, crm_object, crm_id, exported_at, captured_by FROM captured_contact
WHERE status = 'exported' AND crm_sfid IS NULL AND confirmed_at IS NULL AND exported_at < CAST(:cutoff AS timestamptz)
ORDER BY exported_at, id
LIMIT :limit
