-- Merges the pending keys into the key lookup indexes (migration 012): each pending record
-- enters the partial indexes once its pending mark is gone. In one statement the indexes' pages
-- are written once per merge, not once per batch. The caller drops and rebuilds the indexes
-- around it when the pending keys are a large part of them (crm_match_key_drop_* / _create_*).
-- params: none
-- returns: affected
UPDATE crm_match_key SET pending = NULL WHERE pending = 1
