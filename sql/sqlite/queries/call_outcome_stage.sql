-- A call batch's outcomes: see the PostgreSQL query.
-- Differs from PostgreSQL: a temporary table emptied by call_outcome_clear; text timestamps.
-- params: none
-- returns: none
CREATE TEMP TABLE IF NOT EXISTS call_outcome (
    id              INTEGER PRIMARY KEY,
    status          text NOT NULL,
    error_code      text,
    error_message   text,
    crm_object      text,
    crm_id          integer,
    task_count      integer,
    owner_sfid      text,
    owner_source    text,
    waiting_since   text,
    claimed_status  text,
    claimed_version text
)
