-- How many batches have committed: read just before a batch is matched, so that batch can
-- later catch up on the keys of the batches committed after it (batch_match_since). With it the
-- count of changes to the key indexes (migration 013), which tells a run's KeyFilter whether it
-- still holds every indexed key this read sees.
-- params: none
-- returns: one
SELECT seq, keys_changed FROM batch_clock WHERE id = 1
