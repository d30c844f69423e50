-- Gathers crm_match_key's statistics after the first refresh loaded it (in the same
-- transaction, by the owner): without them the planner guessed 30,000 rows per key and the
-- first batches probed with bitmap scans until autovacuum came by. A sample of 30,000 rows.
-- params: none
-- returns: none
ANALYZE crm_match_key
