-- crm_match_key is derived data: every row can be computed again from the mirror. As an
-- UNLOGGED table it skips the write-ahead log, which makes writing keys (the first refresh, and
-- every batch's new records) about half as expensive. PostgreSQL empties an unlogged table after
-- a crash and does not replicate it to standbys; the refresh notices an empty table and keys
-- the whole mirror again (crm_key_watermark_reset), so a crash costs one cold refresh, never a
-- missed duplicate.
ALTER TABLE {{job_schema}}.crm_match_key SET UNLOGGED;
