-- Differs from SQLite: PostgreSQL keeps no filter of indexed keys (see migration 013); not called
-- here. The columns are SQLite's.
-- params: none
-- returns: many
SELECT NULL::text AS email_key, NULL::text AS phone_key, NULL::text AS phone2_key
WHERE false
