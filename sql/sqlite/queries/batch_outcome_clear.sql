-- Empties batch_outcome before a batch's outcomes are loaded.
-- params: none
-- returns: affected
DELETE FROM batch_outcome
