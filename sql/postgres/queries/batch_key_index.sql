-- batch_key's index on key: whatever the planner guesses for the catch-up's range of new keys
-- (before ANALYZE has seen batch_seq it takes one row, or a third of the table), each of its
-- plans is then cheap; a nested loop over an unindexed batch_key compared every new key with
-- every batch key. Costs about 3 ms per batch of 12,000 keys.
-- params: none
-- returns: none
CREATE INDEX IF NOT EXISTS batch_key_key_idx ON batch_key (key)
