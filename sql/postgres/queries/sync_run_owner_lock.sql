-- Held by a running run for its connection's life: when the process dies or loses the server,
-- the lock goes with its session, and the next run can tell the run was abandoned.
-- params: :id
-- returns: one
SELECT pg_advisory_lock(742301, CAST(:id AS integer)) IS NOT NULL AS locked
