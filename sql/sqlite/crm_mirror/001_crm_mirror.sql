-- The Heroku Connect mirror (SCHEMA.md), for local runs, demos and tests.
-- Differs from PostgreSQL: SQLite does not enforce varchar lengths, so CHECK constraints on
-- length() do (the mirror must reject what Salesforce would reject); booleans are 0/1;
-- timestamps are ISO-8601 UTC text.

CREATE TABLE "user" (
    id INTEGER PRIMARY KEY,
    sfid text UNIQUE CHECK (length(sfid) <= 18),
    email text CHECK (length(email) <= 80),
    name text CHECK (length(name) <= 121),
    isactive integer NOT NULL DEFAULT 1
);

CREATE TABLE lead (
    id INTEGER PRIMARY KEY,
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
    _hc_err text
);
CREATE INDEX lead_systemmodstamp_idx ON lead (systemmodstamp, id);

CREATE TABLE contact (
    id INTEGER PRIMARY KEY,
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
    _hc_err text
);
CREATE INDEX contact_systemmodstamp_idx ON contact (systemmodstamp, id);

CREATE TABLE account (
    id INTEGER PRIMARY KEY,
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
    _hc_err text
);
CREATE INDEX account_systemmodstamp_idx ON account (systemmodstamp, id);
CREATE INDEX user_email_idx ON "user" (lower(email));
