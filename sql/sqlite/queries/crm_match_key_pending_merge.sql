-- Merges the pending keys (migration 012) into the recent level of key indexes (migration 013):
-- each pending record enters the recent partial indexes once marked 2. In one statement the
-- indexes' pages are written once per merge, not once per batch. The caller drops and builds the
-- recent indexes around it when the pending keys are many (crm_match_key_drop_recent_* /
-- _create_recent_*), and folds the recent level into the main one instead once it has grown to
-- half of all records (crm_match_key_fold).
-- params: none
-- returns: affected
UPDATE crm_match_key SET pending = 2 WHERE pending = 1
