-- Normalised match keys of the CRM side (SYNC_RULES.md §3, §5), refreshed incrementally.
-- kind 'e' = email key, 'p' = phone key (E.164). priority: 1 Contact, 2 Lead, 3 Person Account.
-- Differs from PostgreSQL: timestamps are ISO-8601 text.
CREATE TABLE crm_match_key (
    crm_object     text    NOT NULL,
    crm_id         integer NOT NULL,
    sfid           text,
    leadsync_id    text,
    kind           text    NOT NULL,
    key            text    NOT NULL,
    lastname_key   text    NOT NULL DEFAULT '',
    priority       integer NOT NULL,
    systemmodstamp text
);
CREATE INDEX crm_match_key_key_idx ON crm_match_key (key, kind);
CREATE INDEX crm_match_key_record_idx ON crm_match_key (crm_object, crm_id);

CREATE TABLE crm_key_watermark (
    crm_object     text PRIMARY KEY,
    systemmodstamp text    NOT NULL,
    last_id        integer NOT NULL
);
