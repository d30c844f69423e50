-- batch_clock counts committed batches; each batch stamps its new records' keys with its value
-- (batch_seq), so a batch matched before it held the batch lock can catch up on the keys
-- committed since (see the PostgreSQL migration). Differs from PostgreSQL: no index on
-- batch_seq. A SQLite batch holds the one write lock from its claim to its commit, so no batch
-- commits between its match and its write and the catch-up never runs; the index only cost
-- every batch's key writes about 12% here. The clock and the stamps are kept as on PostgreSQL,
-- so both engines share the batch code.
ALTER TABLE crm_match_key ADD COLUMN batch_seq integer;
CREATE TABLE batch_clock (
    id  integer PRIMARY KEY CHECK (id = 1),
    seq integer NOT NULL
);
INSERT INTO batch_clock (id, seq) VALUES (1, 0);
