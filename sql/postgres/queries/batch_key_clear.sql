-- Empties batch_key before a batch's keys are loaded.
-- params: none
-- returns: affected
DELETE FROM batch_key
