-- The mirror's additions for the closed loop, accounts, routing and calls (SCHEMA.md "Added for
-- calls, the closed loop, accounts and routing"), for local runs, demos and tests.
-- Differs from PostgreSQL: SQLite cannot add AUTOINCREMENT to a table, and a mirror id must never
-- be used twice (a rejected record's id, named by `_trigger_log`, must not come back as another
-- record's): the four tables of migration 001 are made again with AUTOINCREMENT ids, their rows
-- copied. Booleans are 0/1, timestamps and dates ISO-8601 text; CHECK constraints on length()
-- reject what Salesforce would.
CREATE TABLE user_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sfid text UNIQUE CHECK (length(sfid) <= 18),
    email text CHECK (length(email) <= 80),
    name text CHECK (length(name) <= 121),
    isactive integer NOT NULL DEFAULT 1
);
INSERT INTO user_new (id, sfid, email, name, isactive) SELECT id, sfid, email, name, isactive FROM "user";
DROP TABLE "user";
ALTER TABLE user_new RENAME TO "user";
CREATE TABLE lead_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sfid text UNIQUE CHECK (length(sfid) <= 18),
    salutation text CHECK (length(salutation) <= 40),
    firstname text CHECK (length(firstname) <= 40),
    lastname text CHECK (length(lastname) <= 80),
    title text CHECK (length(title) <= 128),
    company text CHECK (length(company) <= 255),
    email text CHECK (length(email) <= 80),
    phone text CHECK (length(phone) <= 40),
    mobilephone text CHECK (length(mobilephone) <= 40),
    website text CHECK (length(website) <= 255),
    street text CHECK (length(street) <= 255),
    postalcode text CHECK (length(postalcode) <= 20),
    city text CHECK (length(city) <= 40),
    country text CHECK (length(country) <= 80),
    description text CHECK (length(description) <= 32000),
    leadsource text CHECK (length(leadsource) <= 255),
    ownerid text CHECK (length(ownerid) <= 18),
    leadsync_id__c text UNIQUE CHECK (length(leadsync_id__c) <= 255),
    isdeleted integer NOT NULL DEFAULT 0,
    systemmodstamp text,
    createddate text,
    _hc_lastop text CHECK (length(_hc_lastop) <= 32),
    _hc_err text,
    isconverted integer NOT NULL DEFAULT 0
);
INSERT INTO lead_new (id, sfid, salutation, firstname, lastname, title, company, email, phone, mobilephone, website, street, postalcode, city, country, description, leadsource, ownerid, leadsync_id__c, isdeleted, systemmodstamp, createddate, _hc_lastop, _hc_err) SELECT id, sfid, salutation, firstname, lastname, title, company, email, phone, mobilephone, website, street, postalcode, city, country, description, leadsource, ownerid, leadsync_id__c, isdeleted, systemmodstamp, createddate, _hc_lastop, _hc_err FROM lead;
DROP TABLE lead;
ALTER TABLE lead_new RENAME TO lead;
CREATE TABLE contact_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sfid text UNIQUE CHECK (length(sfid) <= 18),
    accountid text CHECK (length(accountid) <= 18),
    salutation text CHECK (length(salutation) <= 40),
    firstname text CHECK (length(firstname) <= 40),
    lastname text CHECK (length(lastname) <= 80),
    title text CHECK (length(title) <= 128),
    department text CHECK (length(department) <= 80),
    email text CHECK (length(email) <= 80),
    phone text CHECK (length(phone) <= 40),
    mobilephone text CHECK (length(mobilephone) <= 40),
    mailingstreet text CHECK (length(mailingstreet) <= 255),
    mailingpostalcode text CHECK (length(mailingpostalcode) <= 20),
    mailingcity text CHECK (length(mailingcity) <= 40),
    mailingcountry text CHECK (length(mailingcountry) <= 80),
    description text CHECK (length(description) <= 32000),
    leadsource text CHECK (length(leadsource) <= 255),
    ownerid text CHECK (length(ownerid) <= 18),
    leadsync_id__c text UNIQUE CHECK (length(leadsync_id__c) <= 255),
    isdeleted integer NOT NULL DEFAULT 0,
    systemmodstamp text,
    createddate text,
    _hc_lastop text CHECK (length(_hc_lastop) <= 32),
    _hc_err text,
    account__leadsync_id__c text CHECK (length(account__leadsync_id__c) <= 255),
    utm_source__c text CHECK (length(utm_source__c) <= 255),
    utm_medium__c text CHECK (length(utm_medium__c) <= 255),
    utm_campaign__c text CHECK (length(utm_campaign__c) <= 255),
    utm_term__c text CHECK (length(utm_term__c) <= 255),
    utm_content__c text CHECK (length(utm_content__c) <= 255)
);
INSERT INTO contact_new (id, sfid, accountid, salutation, firstname, lastname, title, department, email, phone, mobilephone, mailingstreet, mailingpostalcode, mailingcity, mailingcountry, description, leadsource, ownerid, leadsync_id__c, isdeleted, systemmodstamp, createddate, _hc_lastop, _hc_err) SELECT id, sfid, accountid, salutation, firstname, lastname, title, department, email, phone, mobilephone, mailingstreet, mailingpostalcode, mailingcity, mailingcountry, description, leadsource, ownerid, leadsync_id__c, isdeleted, systemmodstamp, createddate, _hc_lastop, _hc_err FROM contact;
DROP TABLE contact;
ALTER TABLE contact_new RENAME TO contact;
CREATE TABLE account_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sfid text UNIQUE CHECK (length(sfid) <= 18),
    name text CHECK (length(name) <= 255),
    phone text CHECK (length(phone) <= 40),
    website text CHECK (length(website) <= 255),
    billingstreet text CHECK (length(billingstreet) <= 255),
    billingpostalcode text CHECK (length(billingpostalcode) <= 20),
    billingcity text CHECK (length(billingcity) <= 40),
    billingcountry text CHECK (length(billingcountry) <= 80),
    ownerid text CHECK (length(ownerid) <= 18),
    ispersonaccount integer NOT NULL DEFAULT 0,
    firstname text CHECK (length(firstname) <= 40),
    lastname text CHECK (length(lastname) <= 80),
    personemail text CHECK (length(personemail) <= 80),
    personmobilephone text CHECK (length(personmobilephone) <= 40),
    isdeleted integer NOT NULL DEFAULT 0,
    systemmodstamp text,
    createddate text,
    _hc_lastop text CHECK (length(_hc_lastop) <= 32),
    _hc_err text,
    leadsync_id__c text UNIQUE CHECK (length(leadsync_id__c) <= 255),
    utm_source__c text CHECK (length(utm_source__c) <= 255),
    utm_medium__c text CHECK (length(utm_medium__c) <= 255),
    utm_campaign__c text CHECK (length(utm_campaign__c) <= 255),
    utm_term__c text CHECK (length(utm_term__c) <= 255),
    utm_content__c text CHECK (length(utm_content__c) <= 255)
);
INSERT INTO account_new (id, sfid, name, phone, website, billingstreet, billingpostalcode, billingcity, billingcountry, ownerid, ispersonaccount, firstname, lastname, personemail, personmobilephone, isdeleted, systemmodstamp, createddate, _hc_lastop, _hc_err) SELECT id, sfid, name, phone, website, billingstreet, billingpostalcode, billingcity, billingcountry, ownerid, ispersonaccount, firstname, lastname, personemail, personmobilephone, isdeleted, systemmodstamp, createddate, _hc_lastop, _hc_err FROM account;
DROP TABLE account;
ALTER TABLE account_new RENAME TO account;
CREATE INDEX lead_systemmodstamp_idx ON lead (systemmodstamp, id);
CREATE INDEX contact_systemmodstamp_idx ON contact (systemmodstamp, id);
CREATE INDEX account_systemmodstamp_idx ON account (systemmodstamp, id);
CREATE INDEX user_email_idx ON "user" (lower(email));
CREATE TABLE opportunity (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sfid text UNIQUE CHECK (length(sfid) <= 18),
    name text CHECK (length(name) <= 120),
    accountid text CHECK (length(accountid) <= 18),
    account__leadsync_id__c text CHECK (length(account__leadsync_id__c) <= 255),
    contactid text CHECK (length(contactid) <= 18),
    contact__leadsync_id__c text CHECK (length(contact__leadsync_id__c) <= 255),
    stagename text CHECK (length(stagename) <= 255),
    isclosed integer NOT NULL DEFAULT 0,
    iswon integer NOT NULL DEFAULT 0,
    closedate text,
    ownerid text CHECK (length(ownerid) <= 18),
    leadsource text CHECK (length(leadsource) <= 255),
    utm_source__c text CHECK (length(utm_source__c) <= 255),
    utm_medium__c text CHECK (length(utm_medium__c) <= 255),
    utm_campaign__c text CHECK (length(utm_campaign__c) <= 255),
    utm_term__c text CHECK (length(utm_term__c) <= 255),
    utm_content__c text CHECK (length(utm_content__c) <= 255),
    leadsync_id__c text UNIQUE CHECK (length(leadsync_id__c) <= 255),
    isdeleted integer NOT NULL DEFAULT 0,
    systemmodstamp text,
    createddate text,
    _hc_lastop text CHECK (length(_hc_lastop) <= 32),
    _hc_err text
);
CREATE INDEX opportunity_contactid_idx ON opportunity (contactid);
CREATE TABLE "case" (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sfid text UNIQUE CHECK (length(sfid) <= 18),
    contactid text CHECK (length(contactid) <= 18),
    accountid text CHECK (length(accountid) <= 18),
    subject text CHECK (length(subject) <= 255),
    status text CHECK (length(status) <= 255),
    isclosed integer NOT NULL DEFAULT 0,
    origin text CHECK (length(origin) <= 255),
    ownerid text CHECK (length(ownerid) <= 18),
    leadsync_id__c text UNIQUE CHECK (length(leadsync_id__c) <= 255),
    isdeleted integer NOT NULL DEFAULT 0,
    systemmodstamp text,
    createddate text,
    _hc_lastop text CHECK (length(_hc_lastop) <= 32),
    _hc_err text
);
CREATE INDEX case_contactid_idx ON "case" (contactid);
CREATE TABLE task (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sfid text UNIQUE CHECK (length(sfid) <= 18),
    whoid text CHECK (length(whoid) <= 18),
    whatid text CHECK (length(whatid) <= 18),
    ownerid text CHECK (length(ownerid) <= 18),
    subject text CHECK (length(subject) <= 255),
    status text CHECK (length(status) <= 255),
    priority text CHECK (length(priority) <= 255),
    activitydate text,
    description text CHECK (length(description) <= 32000),
    tasksubtype text CHECK (length(tasksubtype) <= 255),
    calltype text CHECK (length(calltype) <= 255),
    calldurationinseconds integer,
    calldisposition text CHECK (length(calldisposition) <= 255),
    leadsync_id__c text UNIQUE CHECK (length(leadsync_id__c) <= 255),
    isdeleted integer NOT NULL DEFAULT 0,
    systemmodstamp text,
    createddate text,
    _hc_lastop text CHECK (length(_hc_lastop) <= 32),
    _hc_err text
);
CREATE TABLE _trigger_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    table_name text,
    record_id integer,
    action text,
    state text,
    sf_message text,
    created_at text
);
CREATE INDEX _trigger_log_record_idx ON _trigger_log (table_name, record_id);
CREATE TABLE _trigger_log_archive (
    id INTEGER PRIMARY KEY,
    table_name text,
    record_id integer,
    action text,
    state text,
    sf_message text,
    created_at text
);
CREATE INDEX _trigger_log_archive_record_idx ON _trigger_log_archive (table_name, record_id);
