-- One row per CRM record instead of one per key: its email key and up to two phone keys
-- (phone, mobile; the second only when it differs) side by side. Every batch writes its new
-- records' keys, and each row costs a heap tuple and an entry in the record and batch_seq
-- indexes: with 2.4 keys per record, one row per record writes 1M rows where 2.4M were
-- written, and a key index entry only for each key there is. Inserting the keys of 994k
-- records into a copy of the warm table (one statement, rolled back), here: 6.8 / 7.5 s as
-- 2.39M key rows, 4.9 / 4.6 s as 994k record rows.
-- A phone key is looked up in phone_key and phone2_key; an email key in email_key.
-- The keys are derived data: the table is emptied here, its loaded mark goes with it, and the
-- next run keys the whole mirror again (a cold refresh: about 15 s for 2.5M records here), as
-- after a crash. ALTER rather than a new table keeps the grants a least-privilege role has on it.
TRUNCATE {{job_schema}}.crm_match_key;
DROP INDEX {{job_schema}}.crm_match_key_key_idx;
ALTER TABLE {{job_schema}}.crm_match_key
    DROP COLUMN kind,
    DROP COLUMN key,
    ADD COLUMN email_key  text COLLATE "C",
    ADD COLUMN phone_key  text COLLATE "C",
    ADD COLUMN phone2_key text COLLATE "C";
CREATE INDEX crm_match_key_email_idx ON {{job_schema}}.crm_match_key (email_key) WHERE email_key IS NOT NULL;
CREATE INDEX crm_match_key_phone_idx ON {{job_schema}}.crm_match_key (phone_key) WHERE phone_key IS NOT NULL;
CREATE INDEX crm_match_key_phone2_idx ON {{job_schema}}.crm_match_key (phone2_key) WHERE phone2_key IS NOT NULL;
-- A key belongs to one or a few records (see migration 005).
ALTER TABLE {{job_schema}}.crm_match_key ALTER COLUMN email_key SET (n_distinct = -0.5);
ALTER TABLE {{job_schema}}.crm_match_key ALTER COLUMN phone_key SET (n_distinct = -0.5);
ALTER TABLE {{job_schema}}.crm_match_key ALTER COLUMN phone2_key SET (n_distinct = -0.5);
DELETE FROM {{job_schema}}.crm_key_watermark;
