-- Removes the old keys of every mirror record in the staged chunk (changed, deleted or new),
-- before their current keys are inserted. kind '-' rows in the stage name those records.
-- params: none
-- returns: affected
DELETE FROM crm_match_key k
USING crm_key_stage s
WHERE s.kind = '-' AND k.crm_object = s.crm_object AND k.crm_id = s.crm_id
