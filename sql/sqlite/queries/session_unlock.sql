-- Differs from PostgreSQL: a no-op, as session_lock is.
-- params: :lock_id
-- returns: one
SELECT :lock_id AS unlocked
