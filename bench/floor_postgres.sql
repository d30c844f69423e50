-- The floor the job is measured against: the bare writes it must do anyway, on the same rows in
-- the same database: insert every pending captured contact as a lead, then mark it exported, and
-- commit (as the job's batches do). The bench runs it on a fresh copy of the generated data.
BEGIN;
\timing on
INSERT INTO salesforce.lead (firstname, lastname, company, email, phone, mobilephone, city, country, description, leadsource,
                             ownerid, leadsync_id__c, _hc_lastop, isdeleted, createddate, systemmodstamp)
SELECT first_name, last_name, company, email, phone, mobile, city, country, notes, source,
       '005999999999999999', external_id, 'PENDING', false, now(), now()
FROM leadsync.captured_contact WHERE status = 'pending';
UPDATE leadsync.captured_contact SET status = 'exported', exported_at = now() WHERE status = 'pending';
COMMIT;
\timing off
