-- Rebuilds the phone key lookup index after the first refresh loaded the table (see
-- crm_match_key_drop_email_index); the same definition as migration 011.
-- params: none
-- returns: none
CREATE INDEX crm_match_key_phone_idx ON crm_match_key USING hash (phone_key) WHERE phone_key IS NOT NULL
