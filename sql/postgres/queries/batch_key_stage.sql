-- The keys of the batch being matched, loaded with COPY once per batch: the match and the
-- catch-up (batch_match_since) both read them, where each used to parse the batch's keys from
-- JSON (10-20 ms per batch of 12,000 keys). Lives for the connection; emptied at each commit,
-- and by batch_key_clear before each load (a dry run's batches share one transaction).
-- "C" like crm_match_key's keys, so the join compares the same way and can use its index.
-- params: none
-- returns: none
CREATE TEMP TABLE IF NOT EXISTS batch_key (
    row_id       bigint NOT NULL,
    kind         text   NOT NULL,
    key          text   COLLATE "C" NOT NULL,
    lastname_key text   COLLATE "C" NOT NULL
) ON COMMIT DELETE ROWS
