-- Differs from SQLite: PostgreSQL keeps no recent level of key indexes (see migration 013); not
-- called here.
-- params: none
-- returns: one
SELECT 0 AS recent
