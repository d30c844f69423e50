-- The calls part's floor (activity profile) on SQLite: see floor_calls_activity_postgres.sql.
PRAGMA synchronous = NORMAL;
BEGIN;
INSERT INTO task (whoid, ownerid, subject, status, priority, activitydate, description, tasksubtype, calltype,
                  calldurationinseconds, calldisposition, leadsync_id__c, _hc_lastop, isdeleted, createddate, systemmodstamp)
SELECT '003000000000000001', '005999999999999999', 'Inbound call - answered', 'Completed', 'Normal', substr(started_at, 1, 10),
       'Direction: ' || direction || char(10) || 'Number: ' || client_number, 'Call', 'Inbound', duration_seconds, outcome,
       'call:' || external_id || ':1', 'PENDING', 0, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
FROM call_event WHERE status = 'pending' AND client_number NOT LIKE '+49 40 %';
UPDATE call_event SET status = 'logged', logged_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE status = 'pending';
COMMIT;
