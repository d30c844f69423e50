-- Call events (CALL_RULES.md): see the PostgreSQL migration for each change.
-- Differs from PostgreSQL: timestamps are ISO-8601 UTC text; INTEGER PRIMARY KEY is the identity;
-- one ADD COLUMN per statement.
CREATE TABLE call_event (
    id               INTEGER PRIMARY KEY,
    external_id      text    NOT NULL UNIQUE,
    source           text    NOT NULL,
    channel          text    NOT NULL DEFAULT 'call',
    direction        text    NOT NULL,
    outcome          text,
    started_at       text    NOT NULL,
    duration_seconds integer NOT NULL DEFAULT 0,
    wait_seconds     integer NOT NULL DEFAULT 0,
    agent_email      text,
    client_number    text,
    line_number      text,
    recording_url    text,
    comments         text,
    tags             text,
    utm_source       text,
    utm_medium       text,
    utm_campaign     text,
    utm_term         text,
    utm_content      text,
    status           text    NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'waiting', 'logged', 'skipped', 'failed')),
    error_code       text,
    error_message    text,
    crm_object       text,
    crm_id           integer,
    task_count       integer,
    owner_sfid       text,
    owner_source     text    CHECK (owner_source IN ('user', 'fallback', 'top_manager')),
    attempts         integer NOT NULL DEFAULT 0,
    run_id           integer,
    waiting_since    text,
    logged_at        text,
    updated_at       text
);
CREATE INDEX call_event_todo_idx ON call_event (started_at, id) WHERE status IN ('pending', 'waiting');
CREATE INDEX call_event_run_idx ON call_event (run_id);

ALTER TABLE sync_run ADD COLUMN calls_read_count integer NOT NULL DEFAULT 0;
ALTER TABLE sync_run ADD COLUMN calls_logged_count integer NOT NULL DEFAULT 0;
ALTER TABLE sync_run ADD COLUMN calls_waiting_count integer NOT NULL DEFAULT 0;
ALTER TABLE sync_run ADD COLUMN calls_skipped_count integer NOT NULL DEFAULT 0;
ALTER TABLE sync_run ADD COLUMN calls_failed_count integer NOT NULL DEFAULT 0;

DELETE FROM crm_match_key WHERE crm_object = 'account';
DELETE FROM crm_key_watermark WHERE crm_object = 'account';
