-- batch_clock counts committed batches; each batch stamps its new records' keys with its value
-- (batch_seq), so a batch matched before it held the batch lock can catch up on the keys
-- committed since (see the PostgreSQL migration). A SQLite run does not match ahead, but its
-- batches keep the clock the same way, so both engines share the batch code.
ALTER TABLE crm_match_key ADD COLUMN batch_seq integer;
CREATE INDEX crm_match_key_batch_idx ON crm_match_key (batch_seq) WHERE batch_seq IS NOT NULL;
CREATE TABLE batch_clock (
    id  integer PRIMARY KEY CHECK (id = 1),
    seq integer NOT NULL
);
INSERT INTO batch_clock (id, seq) VALUES (1, 0);
