-- SYNC_RULES.md §9-11: the confirmation of an exported row by Salesforce, a contact's account,
-- and owners by routing rules (see the PostgreSQL migration for each change).
-- Differs from PostgreSQL: SQLite cannot change a CHECK constraint, so captured_contact is made
-- again with the new owner sources and the new columns, its rows and indexes copied; its id,
-- an INTEGER PRIMARY KEY (the rowid), stays as it was for each row.
CREATE TABLE captured_contact_new (
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
    owner_source   text    CHECK (owner_source IN ('user', 'fallback', 'assigned', 'routing')),
    attempts       integer NOT NULL DEFAULT 0,
    run_id         integer,
    exported_at    text,
    updated_at     text,
    assigned_to    text,
    crm_sfid       text,
    confirmed_at   text,
    routing_rule   text
);
INSERT INTO captured_contact_new (id, external_id, source, captured_at, captured_by, target_object, salutation, first_name, last_name, title, department, company, email, phone, mobile, website, street, postal_code, city, country, notes, custom_fields, status, error_code, error_message, crm_object, crm_id, owner_sfid, owner_source, attempts, run_id, exported_at, updated_at)
SELECT id, external_id, source, captured_at, captured_by, target_object, salutation, first_name, last_name, title, department, company, email, phone, mobile, website, street, postal_code, city, country, notes, custom_fields, status, error_code, error_message, crm_object, crm_id, owner_sfid, owner_source, attempts, run_id, exported_at, updated_at FROM captured_contact;
DROP TABLE captured_contact;
ALTER TABLE captured_contact_new RENAME TO captured_contact;
CREATE INDEX captured_contact_pending_idx ON captured_contact (captured_at, id) WHERE status = 'pending';
CREATE INDEX captured_contact_failed_run_idx ON captured_contact (run_id) WHERE status = 'failed';
CREATE INDEX captured_contact_unconfirmed_idx ON captured_contact (id) WHERE status = 'exported' AND crm_sfid IS NULL;

-- Rows exported before this version count as confirmed, as their versions reported them: their
-- Salesforce id is still recorded when their mirror row has it, but they are never failed or
-- listed as waiting for what happened to their records since (a merged record's row is gone).
UPDATE captured_contact SET confirmed_at = exported_at WHERE status = 'exported';

CREATE TABLE routing_rotation (
    rule      text    PRIMARY KEY,
    team      text    NOT NULL,
    next_slot integer NOT NULL
);

-- Differs from PostgreSQL: a B-tree on the company key (SQLite has no hash index).
CREATE TABLE crm_account_key (
    crm_id         integer NOT NULL,
    sfid           text,
    leadsync_id    text,
    company_key    text    NOT NULL,
    systemmodstamp text
);
CREATE INDEX crm_account_key_company_idx ON crm_account_key (company_key);
CREATE INDEX crm_account_key_record_idx ON crm_account_key (crm_id);
CREATE TABLE crm_account_key_state (
    id          integer PRIMARY KEY CHECK (id = 1),
    legal_forms text    NOT NULL
);
