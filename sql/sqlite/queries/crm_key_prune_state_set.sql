-- Records what a prune (or a refresh that found nothing deleted) saw of one mirror table.
-- Differs from PostgreSQL: the watermark's defaults are given here (no column defaults).
-- params: :crm_object, :mirror_rows, :mirror_max_id
-- returns: none
INSERT INTO crm_key_watermark (crm_object, systemmodstamp, last_id, mirror_rows, mirror_max_id)
VALUES (:crm_object, '1970-01-01T00:00:00.000Z', 0, :mirror_rows, :mirror_max_id)
ON CONFLICT (crm_object) DO UPDATE SET mirror_rows = excluded.mirror_rows, mirror_max_id = excluded.mirror_max_id
