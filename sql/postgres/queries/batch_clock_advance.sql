-- Differs from SQLite: PostgreSQL keeps no pending keys to stamp (see migration 012), and its
-- clock counts changes to the key index (migration 014); not called here.
-- params: none
-- returns: one
SELECT CAST(NULL AS bigint) AS seq
