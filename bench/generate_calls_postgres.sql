-- Call events for `make bench`'s calls part (psql variables :calls, :crm_leads, :crm_contacts), run
-- after generate_postgres.sql on the same database. Their client numbers: 55% a CRM contact's
-- phone, 40% a CRM lead's, 5% a number no record has, each typed as phone systems send them
-- (E.164, national with a trunk 0, 00-international); a mix of types like a sales team's day: half
-- inbound answered, 10% missed, 10% voicemail, 10% outbound answered, 10% outbound unanswered,
-- 10% SMS; some comments, tags and UTM tags. The numbers are generate_postgres.sql's scattered ones.
CREATE FUNCTION pg_temp.scattered7(m bigint) RETURNS bigint LANGUAGE sql IMMUTABLE
    AS 'SELECT 1000000 + (m - 1000000) * 2654435761 % 9000000';
INSERT INTO leadsync.call_event (external_id, source, channel, direction, outcome, started_at, duration_seconds, wait_seconds,
                                 agent_email, client_number, comments, tags, utm_source)
SELECT 'call-' || g, 'aircall', CASE WHEN g % 10 = 9 THEN 'sms' ELSE 'call' END,
       CASE WHEN g % 10 < 7 OR (g % 10 = 9 AND g % 20 < 10) THEN 'inbound' ELSE 'outbound' END,
       CASE g % 10 WHEN 5 THEN 'missed' WHEN 6 THEN 'voicemail' WHEN 8 THEN 'unanswered' WHEN 9 THEN NULL ELSE 'answered' END,
       timestamptz '2026-10-01 00:00:00+00' + (g * 2 || ' seconds')::interval,
       CASE WHEN g % 10 IN (5, 8, 9) THEN 0 WHEN g % 10 = 6 THEN 30 ELSE 1 + g % 600 END,
       CASE WHEN g % 10 = 9 THEN 0 ELSE g % 40 END,
       'user' || (1 + g % 5100) || '@vertrieb.example',
       CASE WHEN g % 20 = 0 THEN '+49 40 ' || pg_temp.scattered7(7000000 + g)
            WHEN g % 20 < 12 THEN (ARRAY['+49 89 ', '089 ', '0049 89 '])[1 + g % 3] || pg_temp.scattered7(3000000 + 1 + (g * 7) % :crm_contacts)
            ELSE (ARRAY['+49 30 ', '030 ', '0049 30 '])[1 + g % 3] || pg_temp.scattered7(2000000 + 1 + (g * 13) % :crm_leads) END,
       CASE WHEN g % 5 = 0 THEN 'Called about the offer ' || g END,
       CASE WHEN g % 10 = 3 THEN 'sales, new lead' END,
       CASE WHEN g % 10 = 4 THEN 'google' END
FROM generate_series(1, :calls) g;
ANALYZE leadsync.call_event;
