-- The mirror rows a retry deleted, taken off the row count the refresh's prune check compares
-- (crm_key_prune_state_get): their keys went with them, and the next refresh need not look for
-- rows deleted from the mirror.
-- params: :crm_object, :rows
-- returns: affected
UPDATE crm_key_watermark SET mirror_rows = mirror_rows - :rows WHERE crm_object = :crm_object AND mirror_rows IS NOT NULL
