-- The key lookup indexes become hash indexes. A key is only ever looked up by equality (the
-- match's probes, SYNC_RULES.md §5; no query orders or ranges over a key), and each batch adds
-- its new records' keys at scattered places in each index. A hash index stores a key's 4-byte
-- hash, not the key: a probe reads one bucket page instead of descending a B-tree over strings,
-- and an insert touches one bucket page. PostgreSQL 15 WAL-logs hash indexes (since 10), so they
-- are as safe as B-trees, and the table is UNLOGGED anyway (migration 004).
-- Measured here (AMD EPYC, 2 cores, a slow day; 1M captured contacts on a warm CRM of 2.5M
-- records, two runs each in turn): the run 83.7, 93.6 s with B-trees, 79.4, 77.3 s with hash
-- indexes; the key writes (write.keys) 33.4, 37.7 s against 23.9, 23.9 s.
-- Rebuilds the three indexes once (one scan of crm_match_key each).
DROP INDEX {{job_schema}}.crm_match_key_email_idx;
DROP INDEX {{job_schema}}.crm_match_key_phone_idx;
DROP INDEX {{job_schema}}.crm_match_key_phone2_idx;
CREATE INDEX crm_match_key_email_idx ON {{job_schema}}.crm_match_key USING hash (email_key) WHERE email_key IS NOT NULL;
CREATE INDEX crm_match_key_phone_idx ON {{job_schema}}.crm_match_key USING hash (phone_key) WHERE phone_key IS NOT NULL;
CREATE INDEX crm_match_key_phone2_idx ON {{job_schema}}.crm_match_key USING hash (phone2_key) WHERE phone2_key IS NOT NULL;
