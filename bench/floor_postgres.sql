-- The floor the job is measured against: the bare writes it must do anyway, on the same rows in
-- the same database: insert every pending captured contact as a lead, then mark it exported.
-- Run inside a transaction that is rolled back, so the job then runs on the same data.
BEGIN;
\timing on
INSERT INTO salesforce.lead (firstname, lastname, company, email, phone, mobilephone, city, country, description, leadsource,
                             ownerid, leadsync_id__c, _hc_lastop, isdeleted, createddate, systemmodstamp)
SELECT first_name, last_name, company, email, phone, mobile, city, country, notes, source,
       '005999999999999999', external_id, 'PENDING', false, now(), now()
FROM leadsync.captured_contact WHERE status = 'pending';
UPDATE leadsync.captured_contact SET status = 'exported', exported_at = now() WHERE status = 'pending';
\timing off
ROLLBACK;
