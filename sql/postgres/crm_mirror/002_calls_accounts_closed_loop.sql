-- The mirror's additions for the closed loop, accounts, routing and calls (SCHEMA.md "Added for
-- calls, the closed loop, accounts and routing"), for local runs, demos and tests; production has
-- Heroku Connect's own. Heroku Connect's names: lower-cased API names, the relationship
-- external-id columns (`account__leadsync_id__c`, `contact__leadsync_id__c`) it resolves to
-- `accountid` / `contactid` when it syncs, and its log of what it did (`_trigger_log`, and
-- `_trigger_log_archive` where it moves processed entries). Ids are serials, never reused.
ALTER TABLE {{crm_schema}}.lead ADD COLUMN isconverted boolean NOT NULL DEFAULT false;

ALTER TABLE {{crm_schema}}.contact
    ADD COLUMN account__leadsync_id__c varchar(255),
    ADD COLUMN utm_source__c varchar(255),
    ADD COLUMN utm_medium__c varchar(255),
    ADD COLUMN utm_campaign__c varchar(255),
    ADD COLUMN utm_term__c varchar(255),
    ADD COLUMN utm_content__c varchar(255);

ALTER TABLE {{crm_schema}}.account
    ADD COLUMN leadsync_id__c varchar(255) UNIQUE,
    ADD COLUMN utm_source__c varchar(255),
    ADD COLUMN utm_medium__c varchar(255),
    ADD COLUMN utm_campaign__c varchar(255),
    ADD COLUMN utm_term__c varchar(255),
    ADD COLUMN utm_content__c varchar(255);

CREATE TABLE {{crm_schema}}.opportunity (
    id serial PRIMARY KEY,
    sfid varchar(18) UNIQUE,
    name varchar(120),
    accountid varchar(18),
    account__leadsync_id__c varchar(255),
    contactid varchar(18),
    contact__leadsync_id__c varchar(255),
    stagename varchar(255),
    isclosed boolean NOT NULL DEFAULT false,
    iswon boolean NOT NULL DEFAULT false,
    closedate date,
    ownerid varchar(18),
    leadsource varchar(255),
    utm_source__c varchar(255),
    utm_medium__c varchar(255),
    utm_campaign__c varchar(255),
    utm_term__c varchar(255),
    utm_content__c varchar(255),
    leadsync_id__c varchar(255) UNIQUE,
    isdeleted boolean NOT NULL DEFAULT false,
    systemmodstamp timestamp,
    createddate timestamp,
    _hc_lastop varchar(32),
    _hc_err text
);
CREATE INDEX opportunity_contactid_idx ON {{crm_schema}}.opportunity (contactid);

CREATE TABLE {{crm_schema}}."case" (
    id serial PRIMARY KEY,
    sfid varchar(18) UNIQUE,
    contactid varchar(18),
    accountid varchar(18),
    subject varchar(255),
    status varchar(255),
    isclosed boolean NOT NULL DEFAULT false,
    origin varchar(255),
    ownerid varchar(18),
    leadsync_id__c varchar(255) UNIQUE,
    isdeleted boolean NOT NULL DEFAULT false,
    systemmodstamp timestamp,
    createddate timestamp,
    _hc_lastop varchar(32),
    _hc_err text
);
CREATE INDEX case_contactid_idx ON {{crm_schema}}."case" (contactid);

CREATE TABLE {{crm_schema}}.task (
    id serial PRIMARY KEY,
    sfid varchar(18) UNIQUE,
    whoid varchar(18),
    whatid varchar(18),
    ownerid varchar(18),
    subject varchar(255),
    status varchar(255),
    priority varchar(255),
    activitydate date,
    description varchar(32000),
    tasksubtype varchar(255),
    calltype varchar(255),
    calldurationinseconds integer,
    calldisposition varchar(255),
    leadsync_id__c varchar(255) UNIQUE,
    isdeleted boolean NOT NULL DEFAULT false,
    systemmodstamp timestamp,
    createddate timestamp,
    _hc_lastop varchar(32),
    _hc_err text
);

CREATE TABLE {{crm_schema}}._trigger_log (
    id serial PRIMARY KEY,
    table_name varchar(128),
    record_id integer,
    action varchar(7),
    state varchar(8),
    sf_message text,
    created_at timestamp DEFAULT (now() AT TIME ZONE 'UTC')
);
CREATE INDEX _trigger_log_record_idx ON {{crm_schema}}._trigger_log (table_name, record_id);
CREATE TABLE {{crm_schema}}._trigger_log_archive (
    id integer PRIMARY KEY,
    table_name varchar(128),
    record_id integer,
    action varchar(7),
    state varchar(8),
    sf_message text,
    created_at timestamp
);
CREATE INDEX _trigger_log_archive_record_idx ON {{crm_schema}}._trigger_log_archive (table_name, record_id);
