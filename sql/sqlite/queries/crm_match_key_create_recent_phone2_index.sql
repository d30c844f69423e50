-- Builds the recent level's phone2 index again after a large merge (see
-- crm_match_key_drop_recent_phone2_index); the same definition as migration 013.
-- params: none
-- returns: none
CREATE INDEX crm_match_key_recent_phone2_idx ON crm_match_key (phone2_key) WHERE phone2_key IS NOT NULL AND pending = 2
