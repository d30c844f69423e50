-- One row per CRM record instead of one per key: its email key and up to two phone keys
-- (phone, mobile; the second only when it differs) side by side, so each batch inserts one row
-- per new record where it inserted 2.4 (see the PostgreSQL migration).
-- A phone key is looked up in phone_key and phone2_key; an email key in email_key.
-- The keys are derived data: the table is emptied here, its loaded mark goes with it, and the
-- next run keys the whole mirror again, as on the first run.
DELETE FROM crm_match_key;
DROP INDEX crm_match_key_key_idx;
ALTER TABLE crm_match_key DROP COLUMN kind;
ALTER TABLE crm_match_key DROP COLUMN key;
ALTER TABLE crm_match_key ADD COLUMN email_key text;
ALTER TABLE crm_match_key ADD COLUMN phone_key text;
ALTER TABLE crm_match_key ADD COLUMN phone2_key text;
CREATE INDEX crm_match_key_email_idx ON crm_match_key (email_key) WHERE email_key IS NOT NULL;
CREATE INDEX crm_match_key_phone_idx ON crm_match_key (phone_key) WHERE phone_key IS NOT NULL;
CREATE INDEX crm_match_key_phone2_idx ON crm_match_key (phone2_key) WHERE phone2_key IS NOT NULL;
DELETE FROM crm_key_watermark;
