-- Rebuilds the email key lookup index after the first refresh loaded the table (see
-- crm_match_key_drop_email_index); the same definition as migration 012.
-- params: none
-- returns: none
CREATE INDEX crm_match_key_email_idx ON crm_match_key (email_key) WHERE email_key IS NOT NULL AND pending IS NULL
