-- Differs from SQLite: PostgreSQL keeps no pending keys (see migration 012), so there is nothing
-- to read; the job does not call it here. The columns are SQLite's.
-- params: :after_seq
-- returns: many
SELECT NULL::bigint AS rid, CAST(:after_seq AS bigint) AS batch_seq, NULL::text AS email_key, NULL::text AS phone_key,
       NULL::text AS phone2_key
WHERE false
