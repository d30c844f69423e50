-- The key refresh prunes keys of mirror rows deleted outright only when a table lost rows: it
-- remembers the row count and highest id it last saw (rows now = rows then + rows above that id
-- - rows deleted), instead of an anti-join over every key on every run.
ALTER TABLE {{job_schema}}.crm_key_watermark
    ADD COLUMN mirror_rows   bigint,
    ADD COLUMN mirror_max_id bigint;
ALTER TABLE {{job_schema}}.crm_key_watermark ALTER COLUMN systemmodstamp SET DEFAULT '1970-01-01';
ALTER TABLE {{job_schema}}.crm_key_watermark ALTER COLUMN last_id SET DEFAULT 0;

-- Which process runs a sync_run row, so a run whose process died (kill -9, lost server) is
-- marked failed by the next run instead of showing "running" for ever.
ALTER TABLE {{job_schema}}.sync_run
    ADD COLUMN host text,
    ADD COLUMN pid  integer;
