-- Differs from SQLite: PostgreSQL keeps no pending keys (see migration 012): nothing to merge;
-- not called here.
-- params: none
-- returns: affected
UPDATE crm_match_key SET batch_seq = batch_seq WHERE false
