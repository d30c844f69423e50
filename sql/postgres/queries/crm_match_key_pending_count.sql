-- Differs from SQLite: PostgreSQL keeps no pending keys (see migration 012); not called here.
-- params: none
-- returns: one
SELECT 0 AS pending
