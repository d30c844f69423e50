-- How far the key refresh has read one mirror table.
-- params: :crm_object
-- returns: one
SELECT systemmodstamp, last_id FROM crm_key_watermark WHERE crm_object = :crm_object
