-- Releases a lock session_lock took. Releasing one not held only raises a warning, so error
-- paths may release without knowing whether the lock was reached.
-- params: :lock_id
-- returns: one
SELECT pg_advisory_unlock(CAST(:lock_id AS bigint)) AS unlocked
