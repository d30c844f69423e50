-- Benchmark data for `make bench` (psql variables :crm_leads, :crm_contacts, :users, :captured).
-- A CRM with phones typed in mixed formats, and pending captured contacts with about 3% email
-- duplicates of the CRM, 2% phone duplicates (same surname), 5% in-batch duplicates and 2% invalid rows.
-- The numbers in addresses and phones are scattered (a bijection, so duplicates stay duplicates),
-- and the captured contacts' share the CRM's prefixes (lead..., +49 30, 0171; other numbers): real
-- keys arrive in no order and fall among the CRM's, and a B-tree takes keys in its own order far
-- more cheaply (docs/measurements.md, 2026-12-02, fourth session).
CREATE FUNCTION pg_temp.scattered(n bigint) RETURNS bigint LANGUAGE sql IMMUTABLE
    AS 'SELECT n * 2654435761 % 4294967311';
-- A 7-digit subscriber number (1000000-9999999) to another.
CREATE FUNCTION pg_temp.scattered7(m bigint) RETURNS bigint LANGUAGE sql IMMUTABLE
    AS 'SELECT 1000000 + (m - 1000000) * 2654435761 % 9000000';
INSERT INTO salesforce."user" (sfid, email, name, isactive)
SELECT '005' || lpad(g::text, 15, '0'), 'user' || g || '@vertrieb.example', 'User ' || g, g % 50 <> 0
FROM generate_series(1, :users) g;
INSERT INTO salesforce."user" (sfid, email, name, isactive) VALUES ('005999999999999999', 'admin@vertrieb.example', 'Admin', true);

INSERT INTO salesforce.lead (sfid, firstname, lastname, company, email, phone, mobilephone, ownerid, isdeleted, systemmodstamp, createddate)
SELECT '00Q' || lpad(g::text, 15, '0'), 'First' || g, 'Name' || (g % 100000), 'Company ' || (g % 20000),
       'lead' || pg_temp.scattered(g) || '@crm.example',
       CASE g % 4 WHEN 0 THEN '+49 30 ' WHEN 1 THEN '030 ' WHEN 2 THEN '0049-30-' ELSE '(030) ' END || pg_temp.scattered7(2000000 + g),
       CASE WHEN g % 3 = 0 THEN '+49 171 ' || pg_temp.scattered7(1000000 + g) END,
       '005' || lpad((1 + g % :users)::text, 15, '0'), g % 97 = 0,
       timestamp '2020-01-01' + (g || ' seconds')::interval, timestamp '2020-01-01'
FROM generate_series(1, :crm_leads) g;

INSERT INTO salesforce.contact (sfid, firstname, lastname, email, phone, mobilephone, ownerid, isdeleted, systemmodstamp, createddate)
SELECT '003' || lpad(g::text, 15, '0'), 'First' || g, 'Name' || (g % 100000), 'contact' || pg_temp.scattered(g) || '@crm.example',
       CASE g % 3 WHEN 0 THEN '+49 89 ' WHEN 1 THEN '089 ' ELSE '0049 (0)89 ' END || pg_temp.scattered7(3000000 + g),
       CASE WHEN g % 2 = 0 THEN '0151 ' || pg_temp.scattered7(4000000 + g) END,
       '005' || lpad((1 + g % :users)::text, 15, '0'), false,
       timestamp '2021-01-01' + (g || ' seconds')::interval, timestamp '2021-01-01'
FROM generate_series(1, :crm_contacts) g;

-- Business accounts (SYNC_RULES.md §10): 2,500 of the captured contacts' 5,000 firms with a legal
-- form, so that with contact_account = "match_or_create" about half the contacts match an account
-- and the rest share 2,500 new ones.
INSERT INTO salesforce.account (sfid, name, ispersonaccount, isdeleted, systemmodstamp, createddate)
SELECT '001' || lpad(g::text, 15, '0'), CASE WHEN g <= 2500 THEN 'Firm ' || g || ' GmbH' ELSE 'Account ' || g END, false, false,
       timestamp '2019-01-01' + (g || ' seconds')::interval, timestamp '2019-01-01'
FROM generate_series(1, 50000) g;

INSERT INTO leadsync.captured_contact (external_id, source, captured_at, captured_by, target_object, first_name, last_name,
                                       company, email, phone, mobile, city, country, notes)
SELECT 'bench-' || g, (ARRAY['lemontaps', 'webform', 'calendly'])[1 + g % 3],
       timestamptz '2026-11-01 00:00:00+00' + (g || ' seconds')::interval,
       'user' || (1 + g % (:users + 100)) || '@vertrieb.example',
       CASE WHEN g % 5 = 0 THEN 'contact' ELSE '' END,
       'Captured' || g,
       CASE WHEN g % 100 < 1 THEN '' WHEN g % 100 < 3 THEN 'Name' || (g % 100000) ELSE 'Person' || g END,
       CASE WHEN g % 100 = 1 THEN '' ELSE 'Firm ' || (g % 5000) END,
       CASE WHEN g % 100 < 6 AND g % 100 >= 3 THEN 'lead' || pg_temp.scattered(g * 7 % :crm_leads + 1) || '@crm.example'
            WHEN g % 100 >= 6 AND g % 100 < 11 THEN 'lead' || pg_temp.scattered(g - 1) || '@capture.example'
            WHEN g % 100 = 11 THEN 'not-an-email'
            ELSE 'lead' || pg_temp.scattered(g) || '@capture.example' END,
       '+49 30 ' || pg_temp.scattered7(CASE WHEN g % 100 < 3 AND g % 100 >= 1 THEN 2000000 + g % 100000 ELSE 5000000 + g END),
       CASE WHEN g % 2 = 0 THEN '0171 ' || pg_temp.scattered7(6000000 + g) END,
       'Berlin', 'DE', 'Met at the fair'
FROM generate_series(1, :captured) g;
ANALYZE;
