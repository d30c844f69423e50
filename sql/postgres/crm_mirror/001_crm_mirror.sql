-- The Heroku Connect mirror (SCHEMA.md), for local runs, demos and tests; production has the real one.
-- Column types follow Heroku Connect: varchar with the Salesforce field length, timestamp without
-- time zone in UTC. The lengths make the mirror reject what Salesforce would reject.
CREATE SCHEMA IF NOT EXISTS {{crm_schema}};

CREATE TABLE {{crm_schema}}."user" (
    id serial PRIMARY KEY,
    sfid varchar(18) UNIQUE,
    email varchar(80),
    name varchar(121),
    isactive boolean NOT NULL DEFAULT true
);

CREATE TABLE {{crm_schema}}.lead (
    id serial PRIMARY KEY,
    sfid varchar(18) UNIQUE,
    salutation varchar(40),
    firstname varchar(40),
    lastname varchar(80),
    title varchar(128),
    company varchar(255),
    email varchar(80),
    phone varchar(40),
    mobilephone varchar(40),
    website varchar(255),
    street varchar(255),
    postalcode varchar(20),
    city varchar(40),
    country varchar(80),
    description varchar(32000),
    leadsource varchar(255),
    ownerid varchar(18),
    leadsync_id__c varchar(255) UNIQUE,
    isdeleted boolean NOT NULL DEFAULT false,
    systemmodstamp timestamp,
    createddate timestamp,
    _hc_lastop varchar(32),
    _hc_err text
);
CREATE INDEX lead_systemmodstamp_idx ON {{crm_schema}}.lead (systemmodstamp, id);

CREATE TABLE {{crm_schema}}.contact (
    id serial PRIMARY KEY,
    sfid varchar(18) UNIQUE,
    accountid varchar(18),
    salutation varchar(40),
    firstname varchar(40),
    lastname varchar(80),
    title varchar(128),
    department varchar(80),
    email varchar(80),
    phone varchar(40),
    mobilephone varchar(40),
    mailingstreet varchar(255),
    mailingpostalcode varchar(20),
    mailingcity varchar(40),
    mailingcountry varchar(80),
    description varchar(32000),
    leadsource varchar(255),
    ownerid varchar(18),
    leadsync_id__c varchar(255) UNIQUE,
    isdeleted boolean NOT NULL DEFAULT false,
    systemmodstamp timestamp,
    createddate timestamp,
    _hc_lastop varchar(32),
    _hc_err text
);
CREATE INDEX contact_systemmodstamp_idx ON {{crm_schema}}.contact (systemmodstamp, id);

CREATE TABLE {{crm_schema}}.account (
    id serial PRIMARY KEY,
    sfid varchar(18) UNIQUE,
    name varchar(255),
    phone varchar(40),
    website varchar(255),
    billingstreet varchar(255),
    billingpostalcode varchar(20),
    billingcity varchar(40),
    billingcountry varchar(80),
    ownerid varchar(18),
    ispersonaccount boolean NOT NULL DEFAULT false,
    firstname varchar(40),
    lastname varchar(80),
    personemail varchar(80),
    personmobilephone varchar(40),
    isdeleted boolean NOT NULL DEFAULT false,
    systemmodstamp timestamp,
    createddate timestamp,
    _hc_lastop varchar(32),
    _hc_err text
);
CREATE INDEX account_systemmodstamp_idx ON {{crm_schema}}.account (systemmodstamp, id);
CREATE INDEX user_email_idx ON {{crm_schema}}."user" (lower(email));
