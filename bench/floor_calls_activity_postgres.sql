-- The calls part's floor (activity profile): the bare writes its run must do anyway: one task per
-- event whose number a record has (all but the 5% unknown numbers, generate_calls_postgres.sql),
-- then every event marked logged, committed. On a fresh copy of the generated data.
BEGIN;
\timing on
INSERT INTO salesforce.task (whoid, ownerid, subject, status, priority, activitydate, description, tasksubtype, calltype,
                             calldurationinseconds, calldisposition, leadsync_id__c, _hc_lastop, isdeleted, createddate, systemmodstamp)
SELECT '003000000000000001', '005999999999999999', 'Inbound call - answered', 'Completed', 'Normal', CAST(started_at AS date),
       'Direction: ' || direction || E'\nNumber: ' || client_number, 'Call', 'Inbound', duration_seconds, outcome,
       'call:' || external_id || ':1', 'PENDING', false, now(), now()
FROM leadsync.call_event WHERE status = 'pending' AND client_number NOT LIKE '+49 40 %';
UPDATE leadsync.call_event SET status = 'logged', logged_at = now() WHERE status = 'pending';
COMMIT;
\timing off
