-- Differs from PostgreSQL: a no-op. SQLite's match queries take the batch's keys as JSON (a
-- temporary batch_key table made its match twice as slow here, and its catch-up never runs: a
-- SQLite batch holds the one write lock from its claim to its commit).
-- params: none
-- returns: none
SELECT 1 AS done
