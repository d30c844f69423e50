-- Differs from SQLite: PostgreSQL keeps no pending keys nor a recent level (see migrations 012 and
-- 013): nothing to fold; not called here.
-- params: none
-- returns: affected
UPDATE crm_match_key SET crm_id = crm_id WHERE false
