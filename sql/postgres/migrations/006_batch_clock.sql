-- Lets a batch be matched before it holds the batch lock (while the batch before it is still
-- being written), then catch up on what was committed meanwhile instead of matching again.
-- batch_clock counts the batches committed by every leadsync process: each batch advances it
-- under the batch lock and stamps its new records' keys with the value (batch_seq). A batch
-- matched when the clock read N needs, once it holds the lock, only the keys stamped above N:
-- a range of the partial index below, one or a few batches' keys, not a probe per key.
-- The refresh stamps the keys it re-reads from the mirror the same way (a record re-keyed there
-- loses its batch's stamp, and one new from Salesforce should be caught up on too); only the
-- first full load's keys carry no stamp (NULL) and stay out of that index.
ALTER TABLE {{job_schema}}.crm_match_key ADD COLUMN batch_seq bigint;
CREATE INDEX crm_match_key_batch_idx ON {{job_schema}}.crm_match_key (batch_seq) WHERE batch_seq IS NOT NULL;
CREATE TABLE {{job_schema}}.batch_clock (
    id  smallint PRIMARY KEY CHECK (id = 1),
    seq bigint   NOT NULL
);
INSERT INTO {{job_schema}}.batch_clock (id, seq) VALUES (1, 0);
-- Statistics for the new column (all NULL until batches stamp keys), so the catch-up's range
-- is planned as the few rows it is.
ANALYZE {{job_schema}}.crm_match_key;
