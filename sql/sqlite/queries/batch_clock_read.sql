-- The count of changes to the key indexes (migrations 013 and 014), read in a match's transaction:
-- a run's KeyFilter built at a lower count may lack keys this read sees.
-- params: none
-- returns: one
SELECT keys_changed FROM batch_clock WHERE id = 1
