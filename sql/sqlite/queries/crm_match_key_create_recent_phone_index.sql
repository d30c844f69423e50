-- Builds the recent level's phone index again after a large merge (see
-- crm_match_key_drop_recent_phone_index); the same definition as migration 013.
-- params: none
-- returns: none
CREATE INDEX crm_match_key_recent_phone_idx ON crm_match_key (phone_key) WHERE phone_key IS NOT NULL AND pending = 2
