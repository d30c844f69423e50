-- Differs from SQLite: PostgreSQL keeps no pending keys (see migration 012): nothing to merge;
-- not called here.
-- params: none
-- returns: affected
UPDATE crm_match_key SET crm_id = crm_id WHERE false
