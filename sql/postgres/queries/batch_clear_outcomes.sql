-- Empties the batch outcome staging table.
-- params: none
-- returns: affected
DELETE FROM batch_outcome
