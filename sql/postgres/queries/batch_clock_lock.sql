-- The count of changes to the key index (batch_clock.keys_changed), read by a call batch under
-- the batch lock with the clock's row locked until the batch commits: no other writer can change
-- the index between this read and the batch's own key write, so the count after that write, less
-- this one, is the batch's writes alone (a catch-up in memory for the batch after it relies on it).
-- params: none
-- returns: one
SELECT keys_changed FROM batch_clock WHERE id = 1 FOR UPDATE
