-- Builds the recent level's email index again after a large merge (see
-- crm_match_key_drop_recent_email_index); the same definition as migration 013.
-- params: none
-- returns: none
CREATE INDEX crm_match_key_recent_email_idx ON crm_match_key (email_key) WHERE email_key IS NOT NULL AND pending = 2
