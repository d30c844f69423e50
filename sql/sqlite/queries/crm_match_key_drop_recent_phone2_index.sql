-- A large merge of pending keys drops the recent level's phone2 index and builds it again once the
-- keys are in that level (crm_match_key_create_recent_phone2_index; see CRMKeyIndex.mergePending).
-- params: none
-- returns: none
DROP INDEX crm_match_key_recent_phone2_idx
