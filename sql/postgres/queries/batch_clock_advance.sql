-- Counts this batch, under the batch lock: returns its number (the new value), which stamps its
-- new records' keys. The one row is locked until the batch commits, as the batch lock is.
-- params: none
-- returns: one
UPDATE batch_clock SET seq = seq + 1 WHERE id = 1 RETURNING seq
