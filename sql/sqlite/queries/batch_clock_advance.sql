-- The next stamp for a batch's pending keys (PendingKeys.write, the only writer of pending keys),
-- or for a merge (the stamp at or above every key it merged): the clock only grows, and each
-- stamp is taken under SQLite's write lock in the transaction that writes with it, so a run's
-- index of pending keys reads exactly the keys committed since it last looked.
-- params: none
-- returns: one
UPDATE batch_clock SET seq = seq + 1 WHERE id = 1 RETURNING seq
