-- Differs from SQLite: PostgreSQL keeps no pending keys nor a recent level of key indexes (see
-- migrations 012 and 013); not called here.
-- params: none
-- returns: none
SELECT 1 WHERE false
