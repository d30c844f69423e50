-- A batch's new records' keys are written as pending (pending = 1) and stay out of the key
-- lookup indexes until the run ends (or holds a few million pending keys), when they are merged
-- into them at once (crm_match_key_pending_merge). Until then the run finds them through an
-- index of its own in memory (PendingKeyIndex), which reads them by rowid.
-- Why: SQLite's write-ahead log holds whole pages. A batch of 5,000 new records puts its 12,000
-- keys at scattered places in indexes of millions of keys, so its commit wrote some 13,000 index
-- pages (53 MB) and the checkpoint copied them back: a 1M run wrote 19 GB and spent most of its
-- time there (warm 1M here: 163 s, of which batch.commit 91 s and write.keys 42 s). A merge
-- writes each index page once.
-- The partial batch_seq index finds the pending keys committed since a batch clock value (new
-- keys have ever higher stamps: appended at its end).
-- Differs from PostgreSQL, whose write-ahead log holds row changes, not pages: there the keys go
-- straight into the (hash) indexes (migration 011), and this migration does nothing.
ALTER TABLE crm_match_key ADD COLUMN pending integer;
DROP INDEX crm_match_key_email_idx;
DROP INDEX crm_match_key_phone_idx;
DROP INDEX crm_match_key_phone2_idx;
CREATE INDEX crm_match_key_email_idx ON crm_match_key (email_key) WHERE email_key IS NOT NULL AND pending IS NULL;
CREATE INDEX crm_match_key_phone_idx ON crm_match_key (phone_key) WHERE phone_key IS NOT NULL AND pending IS NULL;
CREATE INDEX crm_match_key_phone2_idx ON crm_match_key (phone2_key) WHERE phone2_key IS NOT NULL AND pending IS NULL;
CREATE INDEX crm_match_key_pending_idx ON crm_match_key (batch_seq) WHERE pending = 1;
