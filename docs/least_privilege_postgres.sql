-- A role that can run leadsync and nothing more: it reads and writes the job's tables, reads the
-- mirror, inserts leads, contacts and (with contact_account = "match_or_create") accounts into it,
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
GRANT INSERT ON salesforce.account TO leadsync_job;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA salesforce TO leadsync_job;
-- Tables and sequences a later `leadsync migrate` creates (run as this same owner) get the same
-- grants, so an upgrade needs nothing more here.
ALTER DEFAULT PRIVILEGES IN SCHEMA leadsync GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO leadsync_job;
ALTER DEFAULT PRIVILEGES IN SCHEMA leadsync GRANT USAGE, SELECT ON SEQUENCES TO leadsync_job;
