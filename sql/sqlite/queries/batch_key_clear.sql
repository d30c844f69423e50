-- Differs from PostgreSQL: a no-op. SQLite's match queries take the batch's keys as JSON (a
-- temporary batch_key table made its match twice as slow here, and its catch-up never runs: a
-- SQLite batch is matched holding the one write lock, which it keeps until its commit).
-- params: none
-- returns: none
SELECT 1 AS done
