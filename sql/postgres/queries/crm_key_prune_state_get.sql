-- What the last prune saw of one mirror table (NULL before the first).
-- params: :crm_object
-- returns: one
SELECT mirror_rows, mirror_max_id FROM crm_key_watermark WHERE crm_object = :crm_object
