-- Folds the recent level and the pending keys into the main key indexes (migration 013): every
-- record is then in the indexes of pending IS NULL. The caller drops and builds all six key
-- indexes around it (CRMKeyIndex.mergePending).
-- params: none
-- returns: affected
UPDATE crm_match_key SET pending = NULL WHERE pending IS NOT NULL
