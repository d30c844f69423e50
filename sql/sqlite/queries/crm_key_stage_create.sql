-- Staging for match keys on their way into crm_match_key.
-- Differs from PostgreSQL: no ON COMMIT clause; crm_key_stage_clear empties it before use.
-- params: none
-- returns: none
CREATE TEMP TABLE IF NOT EXISTS crm_key_stage (
    crm_object     text,
    crm_id         integer,
    sfid           text,
    leadsync_id    text,
    kind           text,
    key            text,
    lastname_key   text,
    priority       integer,
    systemmodstamp text
)
