-- Whether the process of a running run is gone: its session's lock on the run is free. Taken
-- for this transaction only when free, so a live run is never touched.
-- params: :id
-- returns: one
SELECT pg_try_advisory_xact_lock(742301, CAST(:id AS integer)) AS gone
