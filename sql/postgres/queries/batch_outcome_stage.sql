-- The outcomes of the batch being written, with each row's status and updated_at as claimed, loaded with COPY (captured_contact_write_outcome
-- reads them): parsing them from JSON cost about a tenth of the outcome write. Lives for the
-- connection; emptied at each commit, and by batch_outcome_clear before each load (a dry run's
-- batches share one transaction).
-- params: none
-- returns: none
CREATE TEMP TABLE IF NOT EXISTS batch_outcome (
    id            bigint NOT NULL,
    status        text   NOT NULL,
    error_code    text,
    error_message text,
    crm_object    text,
    crm_id        bigint,
    owner_sfid    text,
    owner_source  text,
    routing_rule  text,
    claimed_status  text,
    claimed_version timestamptz
) ON COMMIT DELETE ROWS
