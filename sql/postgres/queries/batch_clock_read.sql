-- How many writes into crm_match_key have been committed (migration 014's trigger counts them):
-- read with a batch's match ahead of its turn, and again once the batch holds the batch lock.
-- params: none
-- returns: one
SELECT keys_changed FROM batch_clock WHERE id = 1
