-- Takes an advisory lock for the session, not the transaction: it is released by
-- session_unlock, which may come before the transaction ends (the claim lock, JobLock.claim).
-- params: :lock_id
-- returns: one
SELECT pg_advisory_lock(CAST(:lock_id AS bigint)) IS NULL AS locked
