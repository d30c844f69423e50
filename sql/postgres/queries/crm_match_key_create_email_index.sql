-- Rebuilds the email key lookup index after the first refresh loaded the table (see
-- crm_match_key_drop_email_index); the same definition as migration 011.
-- params: none
-- returns: none
CREATE INDEX crm_match_key_email_idx ON crm_match_key USING hash (email_key) WHERE email_key IS NOT NULL
