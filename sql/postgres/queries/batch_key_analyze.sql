-- Gives the planner the batch's real size before matching: temporary tables are never
-- auto-analyzed, and a guessed size made the match hash all of crm_match_key for every batch.
-- params: none
-- returns: none
ANALYZE batch_key
