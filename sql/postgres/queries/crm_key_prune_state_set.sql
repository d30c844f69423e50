-- Records what a prune (or a refresh that found nothing deleted) saw of one mirror table.
-- params: :crm_object, :mirror_rows, :mirror_max_id
-- returns: none
INSERT INTO crm_key_watermark (crm_object, mirror_rows, mirror_max_id)
VALUES (:crm_object, :mirror_rows, :mirror_max_id)
ON CONFLICT (crm_object) DO UPDATE SET mirror_rows = excluded.mirror_rows, mirror_max_id = excluded.mirror_max_id
