-- Benchmark data for `make bench` on SQLite: the same CRM and captured contacts as
-- generate_postgres.sql (read it for the mix). Run by the sqlite3 shell after
-- `.parameter set` of :crm_leads, :crm_contacts, :users, :captured.
-- Differs from PostgreSQL: printf for lpad, strftime for timestamp arithmetic, 0/1 booleans, and
-- the numbers of emails and phones scattered inline (N * 2654435761 % 4294967311 for an address's,
-- 1000000 + (M - 1000000) * 2654435761 % 9000000 for a 7-digit phone number M's), as
-- generate_postgres.sql's functions do (read it for why).
BEGIN;
INSERT INTO "user" (sfid, email, name, isactive)
SELECT '005' || printf('%015d', value), 'user' || value || '@vertrieb.example', 'User ' || value, value % 50 <> 0
FROM generate_series(1, :users);
INSERT INTO "user" (sfid, email, name, isactive) VALUES ('005999999999999999', 'admin@vertrieb.example', 'Admin', 1);

INSERT INTO lead (sfid, firstname, lastname, company, email, phone, mobilephone, ownerid, isdeleted, systemmodstamp, createddate)
SELECT '00Q' || printf('%015d', value), 'First' || value, 'Name' || (value % 100000), 'Company ' || (value % 20000),
       'lead' || (value * 2654435761 % 4294967311) || '@crm.example',
       CASE value % 4 WHEN 0 THEN '+49 30 ' WHEN 1 THEN '030 ' WHEN 2 THEN '0049-30-' ELSE '(030) ' END
         || (1000000 + (1000000 + value) * 2654435761 % 9000000),
       CASE WHEN value % 3 = 0 THEN '+49 171 ' || (1000000 + value * 2654435761 % 9000000) END,
       '005' || printf('%015d', 1 + value % :users), value % 97 = 0,
       strftime('%Y-%m-%dT%H:%M:%fZ', '2020-01-01', '+' || value || ' seconds'), '2020-01-01T00:00:00.000Z'
FROM generate_series(1, :crm_leads);

INSERT INTO contact (sfid, firstname, lastname, email, phone, mobilephone, ownerid, isdeleted, systemmodstamp, createddate)
SELECT '003' || printf('%015d', value), 'First' || value, 'Name' || (value % 100000), 'contact' || (value * 2654435761 % 4294967311) || '@crm.example',
       CASE value % 3 WHEN 0 THEN '+49 89 ' WHEN 1 THEN '089 ' ELSE '0049 (0)89 ' END || (1000000 + (2000000 + value) * 2654435761 % 9000000),
       CASE WHEN value % 2 = 0 THEN '0151 ' || (1000000 + (3000000 + value) * 2654435761 % 9000000) END,
       '005' || printf('%015d', 1 + value % :users), 0,
       strftime('%Y-%m-%dT%H:%M:%fZ', '2021-01-01', '+' || value || ' seconds'), '2021-01-01T00:00:00.000Z'
FROM generate_series(1, :crm_contacts);

-- Business accounts: as generate_postgres.sql's.
INSERT INTO account (sfid, name, ispersonaccount, isdeleted, systemmodstamp, createddate)
SELECT '001' || printf('%015d', value), CASE WHEN value <= 2500 THEN 'Firm ' || value || ' GmbH' ELSE 'Account ' || value END, 0, 0,
       strftime('%Y-%m-%dT%H:%M:%fZ', '2019-01-01', '+' || value || ' seconds'), '2019-01-01T00:00:00.000Z'
FROM generate_series(1, 50000);

INSERT INTO captured_contact (external_id, source, captured_at, captured_by, target_object, first_name, last_name,
                              company, email, phone, mobile, city, country, notes)
SELECT 'bench-' || value, CASE value % 3 WHEN 0 THEN 'lemontaps' WHEN 1 THEN 'webform' ELSE 'calendly' END,
       strftime('%Y-%m-%dT%H:%M:%fZ', '2026-11-01', '+' || value || ' seconds'),
       'user' || (1 + value % (:users + 100)) || '@vertrieb.example',
       CASE WHEN value % 5 = 0 THEN 'contact' ELSE '' END,
       'Captured' || value,
       CASE WHEN value % 100 < 1 THEN '' WHEN value % 100 < 3 THEN 'Name' || (value % 100000) ELSE 'Person' || value END,
       CASE WHEN value % 100 = 1 THEN '' ELSE 'Firm ' || (value % 5000) END,
       CASE WHEN value % 100 < 6 AND value % 100 >= 3 THEN 'lead' || ((value * 7 % :crm_leads + 1) * 2654435761 % 4294967311) || '@crm.example'
            WHEN value % 100 >= 6 AND value % 100 < 11 THEN 'lead' || ((value - 1) * 2654435761 % 4294967311) || '@capture.example'
            WHEN value % 100 = 11 THEN 'not-an-email'
            ELSE 'lead' || (value * 2654435761 % 4294967311) || '@capture.example' END,
       '+49 30 ' || (1000000 + (CASE WHEN value % 100 < 3 AND value % 100 >= 1 THEN 1000000 + value % 100000 ELSE 4000000 + value END)
                     * 2654435761 % 9000000),
       CASE WHEN value % 2 = 0 THEN '0171 ' || (1000000 + (5000000 + value) * 2654435761 % 9000000) END,
       'Berlin', 'DE', 'Met at the fair'
FROM generate_series(1, :captured);
COMMIT;
ANALYZE;
