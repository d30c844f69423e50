-- A call batch's outcomes (CALL_RULES.md §10), loaded here and written by one UPDATE
-- (call_event_write_outcome), with the status and updated_at each event was claimed with.
-- params: none
-- returns: none
CREATE TEMP TABLE IF NOT EXISTS call_outcome (
    id              bigint NOT NULL,
    status          text   NOT NULL,
    error_code      text,
    error_message   text,
    crm_object      text,
    crm_id          bigint,
    task_count      integer,
    owner_sfid      text,
    owner_source    text,
    waiting_since   timestamptz,
    claimed_status  text,
    claimed_version timestamptz
) ON COMMIT DELETE ROWS
