-- Every write into the key indexes counts as a change (batch_clock.keys_changed), by triggers, so
-- that no writer can leave it out: a run's KeyFilter built before the change is not used, and built
-- again.
-- That covers a refresh that keys records (a full load included), a merge of pending keys into
-- the recent or main level, and the new keys of a batch of a run of one batch, which go straight
-- into the indexes; a batch's pending keys (pending = 1) are outside the indexes and not counted
-- (the run's PendingKeyIndex finds them). Deleted keys are not counted: a key the filter holds
-- that is gone only costs a probe that finds nothing.
-- A trigger runs once per row: about 0.5 us a row here, a few tenths of a second for a full load
-- of 2.5M records.
-- Differs from PostgreSQL: there a statement trigger counts every write into crm_match_key (a
-- batch matched ahead of its turn compares the count); SQLite has no statement triggers, keeps its
-- batch clock for its pending keys' stamps (PendingKeys), and does not count pending keys, which
-- are outside its indexes.
CREATE TRIGGER crm_match_key_indexed_insert AFTER INSERT ON crm_match_key
WHEN NEW.pending IS NOT 1
BEGIN
    UPDATE batch_clock SET keys_changed = keys_changed + 1 WHERE id = 1;
END;
CREATE TRIGGER crm_match_key_indexed_update AFTER UPDATE OF pending ON crm_match_key
WHEN NEW.pending IS NOT 1
BEGIN
    UPDATE batch_clock SET keys_changed = keys_changed + 1 WHERE id = 1;
END;
