-- Differs from PostgreSQL: a no-op. Without statistics SQLite already takes an equality on an
-- indexed column as selective, and its ANALYZE would read all of the freshly loaded keys.
-- params: none
-- returns: none
SELECT 1 AS analyzed
