-- Empties the key staging tables before a chunk of the refresh or a batch's new keys.
-- params: none
-- returns: affected
DELETE FROM crm_key_stage
