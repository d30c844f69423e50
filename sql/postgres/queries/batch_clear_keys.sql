-- Empties the batch key staging table.
-- params: none
-- returns: affected
DELETE FROM batch_key
