-- A staging table for one `import-calls`: the file is loaded here first, checked against
-- call_event, then applied in the same transaction.
-- Differs from PostgreSQL: emptied by call_event_import_clear rather than dropped at commit.
-- params: none
-- returns: none
CREATE TEMP TABLE IF NOT EXISTS call_event_import (
    line integer,
    action text,
    external_id text,
    source text,
    channel text,
    direction text,
    outcome text,
    started_at text,
    duration_seconds text,
    wait_seconds text,
    agent_email text,
    client_number text,
    line_number text,
    recording_url text,
    comments text,
    tags text,
    utm_source text,
    utm_medium text,
    utm_campaign text,
    utm_term text,
    utm_content text
)
