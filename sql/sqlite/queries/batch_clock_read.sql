-- How many batches have committed: read just before a batch is matched, so that batch can
-- later catch up on the keys of the batches committed after it (batch_match_since).
-- params: none
-- returns: one
SELECT seq FROM batch_clock WHERE id = 1
