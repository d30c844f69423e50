-- Forgets one watermark, so the next refresh reads that object's whole table again.
-- params: :crm_object
-- returns: affected
DELETE FROM crm_key_watermark WHERE crm_object = :crm_object
