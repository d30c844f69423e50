-- Rebuilds the second phone key lookup index after the first refresh loaded the table (see
-- crm_match_key_drop_email_index); the same definition as migration 012.
-- params: none
-- returns: none
CREATE INDEX crm_match_key_phone2_idx ON crm_match_key (phone2_key) WHERE phone2_key IS NOT NULL AND pending IS NULL
