-- The calls part's floor (deals profile) on SQLite: see floor_calls_deals_postgres.sql.
-- Differs from PostgreSQL: GLOB for the contacts' number prefixes.
PRAGMA synchronous = NORMAL;
BEGIN;
INSERT INTO task (whoid, ownerid, subject, status, priority, activitydate, description, tasksubtype, calltype,
                  calldurationinseconds, calldisposition, leadsync_id__c, _hc_lastop, isdeleted, createddate, systemmodstamp)
SELECT '003000000000000001', '005999999999999999', 'Inbound call - answered', 'Completed', 'Normal', substr(started_at, 1, 10),
       'Direction: ' || direction || char(10) || 'Number: ' || client_number, 'Call', 'Inbound', duration_seconds, outcome,
       'call:' || external_id || ':1', 'PENDING', 0, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
FROM call_event WHERE status = 'pending' AND (client_number GLOB '+49 89 *' OR client_number GLOB '089 *' OR client_number GLOB '0049 89 *') AND NOT (direction = 'inbound' AND channel = 'call');
INSERT INTO account (name, ownerid, leadsync_id__c, _hc_lastop, isdeleted, createddate, systemmodstamp)
SELECT client_number, '005999999999999999', 'call:' || external_id, 'PENDING', 0, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
FROM call_event WHERE status = 'pending' AND NOT (client_number GLOB '+49 89 *' OR client_number GLOB '089 *' OR client_number GLOB '0049 89 *')
  AND direction = 'inbound' AND channel = 'call';
INSERT INTO contact (lastname, phone, leadsource, ownerid, leadsync_id__c, account__leadsync_id__c, _hc_lastop, isdeleted, createddate, systemmodstamp)
SELECT client_number, client_number, 'Phone', '005999999999999999', 'call:' || external_id, 'call:' || external_id, 'PENDING', 0,
       strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
FROM call_event WHERE status = 'pending' AND NOT (client_number GLOB '+49 89 *' OR client_number GLOB '089 *' OR client_number GLOB '0049 89 *')
  AND direction = 'inbound' AND channel = 'call';
INSERT INTO opportunity (name, stagename, closedate, ownerid, leadsource, leadsync_id__c, contact__leadsync_id__c,
                         account__leadsync_id__c, _hc_lastop, isdeleted, createddate, systemmodstamp)
SELECT 'Call ' || client_number, 'Prospecting', date(substr(started_at, 1, 10), '+30 days'), '005999999999999999', 'Phone', 'call:' || external_id,
       'call:' || external_id, 'call:' || external_id, 'PENDING', 0, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
FROM call_event WHERE status = 'pending' AND direction = 'inbound' AND channel = 'call';
UPDATE call_event SET status = 'logged', logged_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE status = 'pending';
COMMIT;
