-- Staging for match keys on their way into crm_match_key (COPY target). Dropped at commit.
-- params: none
-- returns: none
CREATE TEMP TABLE IF NOT EXISTS crm_key_stage (
    crm_object     text,
    crm_id         bigint,
    sfid           text,
    leadsync_id    text,
    kind           text,
    key            text,
    lastname_key   text,
    priority       smallint,
    systemmodstamp timestamp
) ON COMMIT DELETE ROWS
