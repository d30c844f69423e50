-- The floor on SQLite (see floor_postgres.sql): insert every pending captured contact as a lead,
-- then mark it exported, in one transaction that is rolled back.
BEGIN;
INSERT INTO lead (firstname, lastname, company, email, phone, mobilephone, city, country, description, leadsource,
                  ownerid, leadsync_id__c, _hc_lastop, isdeleted, createddate, systemmodstamp)
SELECT first_name, last_name, company, email, phone, mobile, city, country, notes, source,
       '005999999999999999', external_id, 'PENDING', 0, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
FROM captured_contact WHERE status = 'pending';
UPDATE captured_contact SET status = 'exported', exported_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE status = 'pending';
ROLLBACK;
