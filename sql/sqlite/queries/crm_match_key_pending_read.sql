-- The pending keys (migration 012) committed with a batch clock stamp above :after_seq, for the
-- run's PendingKeyIndex: each record's keys with its rowid, by which batch_match reads the record
-- back. A range of the partial batch_seq index (stamps only grow: the newest keys). Read by
-- position (Database.scan): rid, batch_seq, then the three keys.
-- params: :after_seq
-- returns: many
SELECT rowid AS rid, batch_seq, email_key, phone_key, phone2_key
FROM crm_match_key
WHERE pending = 1 AND batch_seq > :after_seq
