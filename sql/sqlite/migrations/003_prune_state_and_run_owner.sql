-- The key refresh prunes keys of mirror rows deleted outright only when a table lost rows (see
-- the PostgreSQL migration), and sync_run records which process runs it.
-- Differs from PostgreSQL: one column per ALTER TABLE; the watermark's defaults come from the
-- query that first inserts a row.
ALTER TABLE crm_key_watermark ADD COLUMN mirror_rows integer;
ALTER TABLE crm_key_watermark ADD COLUMN mirror_max_id integer;
ALTER TABLE sync_run ADD COLUMN host text;
ALTER TABLE sync_run ADD COLUMN pid integer;
