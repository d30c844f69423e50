-- A lower bound for any implementation of the job, beside the floor (floor_postgres.sql): the
-- floor's rows, plus what SYNC_RULES.md and SCHEMA.md require beyond the floor's two statements,
-- each as one set-based statement with no client, no batches and no normalising:
--   the claim's row locks (FOR UPDATE) and its existing-record probes (§7: leadsync_id__c);
--   every row's email and phone against the CRM's keys (§5; the keys as typed, the join the
--   planner's choice);
--   the floor's INSERT;
--   the new records' keys, so that later batches, runs and processes find them (§5);
--   the outcome's columns (§8), where the floor's UPDATE sets only the status.
-- It leaves out everything else the job does (normalising, validating, deciding, the report), so
-- the job can come near it but not under it. The bench runs it on a fresh copy of the warm
-- database (the CRM's keys indexed, as the warm run finds them) and commits.
SET search_path = leadsync, salesforce;
BEGIN;
CREATE TEMP TABLE bound_before AS SELECT max(id) AS lead_max FROM lead;
\timing on
SELECT count(*), count(s.lead_id), count(s.contact_id) FROM (
  SELECT c.id, (SELECT l.id FROM lead l WHERE l.leadsync_id__c = c.external_id) AS lead_id,
               (SELECT m.id FROM contact m WHERE m.leadsync_id__c = c.external_id) AS contact_id
  FROM captured_contact c WHERE c.status = 'pending' ORDER BY c.captured_at, c.id FOR UPDATE OF c) s;
SELECT count(*) FROM captured_contact c JOIN crm_match_key k ON k.email_key = c.email WHERE c.status = 'pending';
SELECT count(*) FROM captured_contact c JOIN crm_match_key k ON k.phone_key = c.phone WHERE c.status = 'pending';
INSERT INTO lead (firstname, lastname, company, email, phone, mobilephone, city, country, description, leadsource,
                  ownerid, leadsync_id__c, _hc_lastop, isdeleted, createddate, systemmodstamp)
SELECT first_name, last_name, company, email, phone, mobile, city, country, notes, source,
       '005999999999999999', external_id, 'PENDING', false, now(), now()
FROM captured_contact WHERE status = 'pending';
INSERT INTO crm_match_key (crm_object, crm_id, leadsync_id, lastname_key, priority, systemmodstamp,
                           email_key, phone_key, phone2_key)
SELECT 'lead', l.id, l.leadsync_id__c, coalesce(l.lastname, ''), 2, l.systemmodstamp, l.email, l.phone, l.mobilephone
FROM lead l WHERE l.id > (SELECT lead_max FROM bound_before);
UPDATE captured_contact
SET status = 'exported', crm_object = 'lead', crm_id = id, owner_sfid = '005999999999999999', owner_source = 'user',
    exported_at = now(), run_id = 1, attempts = attempts + 1, updated_at = now()
WHERE status = 'pending';
COMMIT;
\timing off
