-- The lower bound on SQLite (see bound_postgres.sql): the floor's rows, plus the claim's
-- existing-record probes, the key probes, the new records' keys and the outcome's columns, each
-- one set-based statement, with the job's settings (WAL, synchronous = NORMAL), committed. SQLite
-- has no row locks (a batch holds the write lock), and the keys table no batch index.
-- The key probes name `pending IS NULL`, as the job's do, so that the partial key indexes serve
-- (migration 012). The new records' keys go in the cheapest way known here for a million of
-- them, the one the job's merge takes: into the recent level (migration 013, pending = 2), its
-- three indexes dropped, the keys inserted, the indexes built again (one statement each;
-- inserting into the indexed table took longer, and building the main indexes over every
-- record twice as long).
PRAGMA synchronous = NORMAL;
BEGIN;
CREATE TEMP TABLE bound_before AS SELECT max(id) AS lead_max FROM lead;
.timer on
SELECT count(*), count(lead_id), count(contact_id) FROM (
  SELECT c.id, (SELECT l.id FROM lead l WHERE l.leadsync_id__c = c.external_id) AS lead_id,
               (SELECT m.id FROM contact m WHERE m.leadsync_id__c = c.external_id) AS contact_id
  FROM captured_contact c WHERE c.status = 'pending' ORDER BY c.captured_at, c.id);
SELECT count(*) FROM captured_contact c JOIN crm_match_key k ON k.email_key = c.email
WHERE c.status = 'pending' AND k.email_key IS NOT NULL AND k.pending IS NULL;
SELECT count(*) FROM captured_contact c JOIN crm_match_key k ON k.phone_key = c.phone
WHERE c.status = 'pending' AND k.phone_key IS NOT NULL AND k.pending IS NULL;
INSERT INTO lead (firstname, lastname, company, email, phone, mobilephone, city, country, description, leadsource,
                  ownerid, leadsync_id__c, _hc_lastop, isdeleted, createddate, systemmodstamp)
SELECT first_name, last_name, company, email, phone, mobile, city, country, notes, source,
       '005999999999999999', external_id, 'PENDING', 0, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
FROM captured_contact WHERE status = 'pending';
DROP INDEX crm_match_key_recent_email_idx;
DROP INDEX crm_match_key_recent_phone_idx;
DROP INDEX crm_match_key_recent_phone2_idx;
INSERT INTO crm_match_key (crm_object, crm_id, leadsync_id, lastname_key, priority, systemmodstamp, batch_seq,
                           email_key, phone_key, phone2_key, pending)
SELECT 'lead', l.id, l.leadsync_id__c, coalesce(l.lastname, ''), 2, l.systemmodstamp, 1, l.email, l.phone, l.mobilephone, 2
FROM lead l WHERE l.id > (SELECT lead_max FROM bound_before);
CREATE INDEX crm_match_key_recent_email_idx ON crm_match_key (email_key) WHERE email_key IS NOT NULL AND pending = 2;
CREATE INDEX crm_match_key_recent_phone_idx ON crm_match_key (phone_key) WHERE phone_key IS NOT NULL AND pending = 2;
CREATE INDEX crm_match_key_recent_phone2_idx ON crm_match_key (phone2_key) WHERE phone2_key IS NOT NULL AND pending = 2;
UPDATE captured_contact
SET status = 'exported', crm_object = 'lead', crm_id = id, owner_sfid = '005999999999999999', owner_source = 'user',
    exported_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), run_id = 1, attempts = attempts + 1,
    updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
WHERE status = 'pending';
COMMIT;
