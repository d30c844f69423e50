-- A role that can run leadsync and nothing more: it reads and writes the job's tables, reads the
-- mirror, inserts leads, contacts, accounts, tasks, cases and opportunities into it, fills empty
-- UTM tags (the calls' deals profile),
-- deletes the lead and contact rows Salesforce rejected when `leadsync retry` puts their captured
-- contacts back (SYNC_RULES.md §9), and uses temporary tables (import and push stage rows in them).
-- It owns nothing and can create nothing: migrations run as another role.
-- Replace the password (or use a certificate / .pgpass); run as the owner of both schemas.
CREATE ROLE leadsync_job LOGIN PASSWORD 'change-me';
GRANT TEMPORARY ON DATABASE current_database_placeholder TO leadsync_job;
GRANT USAGE ON SCHEMA leadsync, salesforce TO leadsync_job;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA leadsync TO leadsync_job;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA leadsync TO leadsync_job;
GRANT SELECT ON ALL TABLES IN SCHEMA salesforce TO leadsync_job;
GRANT INSERT, DELETE ON salesforce.lead, salesforce.contact TO leadsync_job;
-- Accounts (contact_account = "match_or_create"; calls from unknown numbers, the deals profile),
-- call tasks, cases (attach_to = "case") and the deals profile's opportunities.
GRANT INSERT ON salesforce.account, salesforce.task, salesforce."case", salesforce.opportunity TO leadsync_job;
-- The deals profile fills empty UTM tags of existing contacts, opportunities and accounts, and
-- marks them for Heroku Connect to push; nothing else of an existing record is ever changed.
GRANT UPDATE (utm_source__c, utm_medium__c, utm_campaign__c, utm_term__c, utm_content__c, _hc_lastop)
    ON salesforce.contact, salesforce.opportunity, salesforce.account TO leadsync_job;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA salesforce TO leadsync_job;
-- Tables and sequences a later `leadsync migrate` creates (run as this same owner) get the same
-- grants, so an upgrade needs nothing more here.
ALTER DEFAULT PRIVILEGES IN SCHEMA leadsync GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO leadsync_job;
ALTER DEFAULT PRIVILEGES IN SCHEMA leadsync GRANT USAGE, SELECT ON SEQUENCES TO leadsync_job;
