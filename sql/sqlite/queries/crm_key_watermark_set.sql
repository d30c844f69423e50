-- Moves the refresh's watermark for one mirror table, in the transaction that wrote its keys.
-- params: :crm_object, :systemmodstamp, :last_id
-- returns: none
INSERT INTO crm_key_watermark (crm_object, systemmodstamp, last_id)
VALUES (:crm_object, :systemmodstamp, :last_id)
ON CONFLICT (crm_object) DO UPDATE SET systemmodstamp = excluded.systemmodstamp, last_id = excluded.last_id
