-- Counts a change to the key indexes' contents (migration 013), in the transaction that made it:
-- a refresh that keyed records, a merge of pending keys. A run's KeyFilter built before it is
-- built again by the next match that reads the new count.
-- params: none
-- returns: affected
UPDATE batch_clock SET keys_changed = keys_changed + 1 WHERE id = 1
