-- SYNC_RULES.md §9-11: the confirmation of an exported row by Salesforce, a contact's account,
-- and owners by routing rules.
-- captured_contact: the rep a booking tool assigned (`assigned_to`); Salesforce's id of the record
-- once Heroku Connect synced it (`crm_sfid`, `confirmed_at`); the routing rule that chose the
-- owner (`routing_rule`); owner sources `assigned` and `routing`. The rows still awaiting
-- confirmation are found by a partial index: a run looks at them first, and at them only.
ALTER TABLE {{job_schema}}.captured_contact
    ADD COLUMN assigned_to  text,
    ADD COLUMN crm_sfid     text,
    ADD COLUMN confirmed_at timestamptz,
    ADD COLUMN routing_rule text;
ALTER TABLE {{job_schema}}.captured_contact DROP CONSTRAINT captured_contact_owner_source_check;
ALTER TABLE {{job_schema}}.captured_contact ADD CONSTRAINT captured_contact_owner_source_check
    CHECK (owner_source IN ('user', 'fallback', 'assigned', 'routing'));
CREATE INDEX captured_contact_unconfirmed_idx ON {{job_schema}}.captured_contact (id)
    WHERE status = 'exported' AND crm_sfid IS NULL;

-- Rows exported before this version count as confirmed, as their versions reported them: their
-- Salesforce id is still recorded when their mirror row has it, but they are never failed or
-- listed as waiting for what happened to their records since (a merged record's row is gone).
UPDATE {{job_schema}}.captured_contact SET confirmed_at = exported_at WHERE status = 'exported';

-- Each routing rule's place in its team's rotation: the slot the next routed row starts looking
-- at, and the team it belongs to (members, order and weights); a rule whose team changed starts
-- again at its first member. Advanced in the transaction of the batch that routed the rows.
CREATE TABLE {{job_schema}}.routing_rotation (
    rule      text    PRIMARY KEY,
    team      text    NOT NULL,
    next_slot integer NOT NULL
);

-- Business accounts by company key (§10), kept like crm_match_key's keys: refreshed from the
-- mirror's changed accounts, and written by the batches that create accounts. The key depends on
-- the configured legal forms: `legal_forms` is the list the keys were made with, and another list
-- keys every account again.
CREATE TABLE {{job_schema}}.crm_account_key (
    crm_id         bigint NOT NULL,
    sfid           text,
    leadsync_id    text,
    company_key    text COLLATE "C" NOT NULL,
    systemmodstamp timestamp
);
CREATE INDEX crm_account_key_company_idx ON {{job_schema}}.crm_account_key USING hash (company_key);
CREATE INDEX crm_account_key_record_idx ON {{job_schema}}.crm_account_key (crm_id);
CREATE TABLE {{job_schema}}.crm_account_key_state (
    id          smallint PRIMARY KEY CHECK (id = 1),
    legal_forms text     NOT NULL
);
