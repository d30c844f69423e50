-- Call events for `make bench`'s calls part on SQLite: the same events as
-- generate_calls_postgres.sql (read it for the mix), after `.parameter set` of :calls, :crm_leads,
-- :crm_contacts. Differs from PostgreSQL: the scattered numbers inline, CASE for the arrays.
BEGIN;
INSERT INTO call_event (external_id, source, channel, direction, outcome, started_at, duration_seconds, wait_seconds,
                        agent_email, client_number, comments, tags, utm_source)
SELECT 'call-' || value, 'aircall', CASE WHEN value % 10 = 9 THEN 'sms' ELSE 'call' END,
       CASE WHEN value % 10 < 7 OR (value % 10 = 9 AND value % 20 < 10) THEN 'inbound' ELSE 'outbound' END,
       CASE value % 10 WHEN 5 THEN 'missed' WHEN 6 THEN 'voicemail' WHEN 8 THEN 'unanswered' WHEN 9 THEN NULL ELSE 'answered' END,
       strftime('%Y-%m-%dT%H:%M:%fZ', '2026-10-01', '+' || (value * 2) || ' seconds'),
       CASE WHEN value % 10 IN (5, 8, 9) THEN 0 WHEN value % 10 = 6 THEN 30 ELSE 1 + value % 600 END,
       CASE WHEN value % 10 = 9 THEN 0 ELSE value % 40 END,
       'user' || (1 + value % 5100) || '@vertrieb.example',
       CASE WHEN value % 20 = 0 THEN '+49 40 ' || (1000000 + (6000000 + value) * 2654435761 % 9000000)
            WHEN value % 20 < 12 THEN CASE value % 3 WHEN 0 THEN '+49 89 ' WHEN 1 THEN '089 ' ELSE '0049 89 ' END
                                      || (1000000 + (2000000 + 1 + (value * 7) % :crm_contacts) * 2654435761 % 9000000)
            ELSE CASE value % 3 WHEN 0 THEN '+49 30 ' WHEN 1 THEN '030 ' ELSE '0049 30 ' END
                 || (1000000 + (1000000 + 1 + (value * 13) % :crm_leads) * 2654435761 % 9000000) END,
       CASE WHEN value % 5 = 0 THEN 'Called about the offer ' || value END,
       CASE WHEN value % 10 = 3 THEN 'sales, new lead' END,
       CASE WHEN value % 10 = 4 THEN 'google' END
FROM generate_series(1, :calls);
COMMIT;
ANALYZE call_event;
