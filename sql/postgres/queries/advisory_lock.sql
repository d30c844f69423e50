-- Serialises one kind of work (migrate, CRM key refresh, batch) across processes until the
-- transaction ends.
-- params: :lock_id
-- returns: one
SELECT pg_advisory_xact_lock(CAST(:lock_id AS bigint)) IS NULL AS locked
