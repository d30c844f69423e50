-- Differs from PostgreSQL: a no-op; SQLite has no such planner setting, and its catch-up never
-- runs (a SQLite batch holds the one write lock from its claim, so no batch commits between
-- its match and its write).
-- params: none
-- returns: none
SELECT 1 AS done
