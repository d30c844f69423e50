-- The job's own tables (SCHEMA.md): the staging table other tools write to, and one row per run.
-- Differs from PostgreSQL: timestamps are ISO-8601 UTC text ('YYYY-MM-DDTHH:MM:SS.sssZ', fixed
-- width so text order is time order); INTEGER PRIMARY KEY is SQLite's identity.
CREATE TABLE captured_contact (
    id             INTEGER PRIMARY KEY,
    external_id    text    NOT NULL UNIQUE,
    source         text    NOT NULL,
    captured_at    text    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    captured_by    text,
    target_object  text,
    salutation     text,
    first_name     text,
    last_name      text,
    title          text,
    department     text,
    company        text,
    email          text,
    phone          text,
    mobile         text,
    website        text,
    street         text,
    postal_code    text,
    city           text,
    country        text,
    notes          text,
    custom_fields  text,
    status         text    NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'exported', 'failed', 'skipped')),
    error_code     text,
    error_message  text,
    crm_object     text,
    crm_id         integer,
    owner_sfid     text,
    owner_source   text    CHECK (owner_source IN ('user', 'fallback')),
    attempts       integer NOT NULL DEFAULT 0,
    run_id         integer,
    exported_at    text,
    updated_at     text
);

CREATE INDEX captured_contact_pending_idx
    ON captured_contact (captured_at, id) WHERE status = 'pending';
CREATE INDEX captured_contact_run_idx ON captured_contact (run_id);

CREATE TABLE sync_run (
    id                        INTEGER PRIMARY KEY,
    mode                      text    NOT NULL
                              CHECK (mode IN ('run', 'backfill', 'push', 'retry', 'dry-run')),
    started_at                text    NOT NULL,
    finished_at               text,
    status                    text    NOT NULL DEFAULT 'running'
                              CHECK (status IN ('running', 'succeeded', 'failed')),
    read_count                integer NOT NULL DEFAULT 0,
    exported_count            integer NOT NULL DEFAULT 0,
    failed_count              integer NOT NULL DEFAULT 0,
    skipped_count             integer NOT NULL DEFAULT 0,
    possible_duplicate_count  integer NOT NULL DEFAULT 0,
    report_path               text,
    config_checksum           text,
    error                     text
);
