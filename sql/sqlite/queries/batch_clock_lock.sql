-- The count of changes to the key index, read by a call batch: see the PostgreSQL query.
-- Differs from PostgreSQL: the batch's transaction holds SQLite's write lock already, which keeps
-- every other writer out until it commits.
-- params: none
-- returns: one
SELECT keys_changed FROM batch_clock WHERE id = 1
