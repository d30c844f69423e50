-- Normalised match keys of the CRM side (SYNC_RULES.md §3, §5), kept in the job's schema and
-- refreshed incrementally: the mirror can hold millions of rows, typed as people typed them.
-- kind 'e' = email key, 'p' = phone key (E.164). priority: 1 Contact, 2 Lead, 3 Person Account.
-- leadsync_id is the mirror row's leadsync_id__c, so a match on a row this job wrote can be
-- traced to the captured contact behind it.
CREATE TABLE {{job_schema}}.crm_match_key (
    crm_object     text     NOT NULL,
    crm_id         bigint   NOT NULL,
    sfid           text,
    leadsync_id    text,
    kind           char(1)  NOT NULL,
    key            text     NOT NULL,
    lastname_key   text     NOT NULL DEFAULT '',
    priority       smallint NOT NULL,
    systemmodstamp timestamp
);
CREATE INDEX crm_match_key_key_idx ON {{job_schema}}.crm_match_key (key, kind);
CREATE INDEX crm_match_key_record_idx ON {{job_schema}}.crm_match_key (crm_object, crm_id);

-- How far the refresh has read each mirror table, in (systemmodstamp, id) order.
CREATE TABLE {{job_schema}}.crm_key_watermark (
    crm_object     text PRIMARY KEY,
    systemmodstamp timestamp NOT NULL,
    last_id        bigint    NOT NULL
);
