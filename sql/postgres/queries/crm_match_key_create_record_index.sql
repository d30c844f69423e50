-- Rebuilds the per-record index after the first refresh loaded the table (see
-- crm_match_key_drop_email_index); the same definition as migration 008.
-- params: none
-- returns: none
CREATE INDEX crm_match_key_record_idx ON crm_match_key (crm_id)
