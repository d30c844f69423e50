-- The calls part's floor (deals profile): the bare writes its run must do anyway: a task for each
-- outbound call and SMS on a CRM contact's number (55% of the numbers, generate_calls_postgres.sql);
-- an opportunity for each inbound call (the bench's contacts have none open, and a new client
-- gets one), with a contact and an account for each inbound call from another number; then every
-- event marked, committed. (The run's inbound calls wait for their new opportunity's sfid.) On a
-- fresh copy of the generated data.
BEGIN;
\timing on
INSERT INTO salesforce.task (whoid, ownerid, subject, status, priority, activitydate, description, tasksubtype, calltype,
                             calldurationinseconds, calldisposition, leadsync_id__c, _hc_lastop, isdeleted, createddate, systemmodstamp)
SELECT '003000000000000001', '005999999999999999', 'Inbound call - answered', 'Completed', 'Normal', CAST(started_at AS date),
       'Direction: ' || direction || E'\nNumber: ' || client_number, 'Call', 'Inbound', duration_seconds, outcome,
       'call:' || external_id || ':1', 'PENDING', false, now(), now()
FROM leadsync.call_event WHERE status = 'pending' AND client_number ~ '^(\+49 89|089|0049 89) ' AND NOT (direction = 'inbound' AND channel = 'call');
INSERT INTO salesforce.account (name, ownerid, leadsync_id__c, _hc_lastop, isdeleted, createddate, systemmodstamp)
SELECT client_number, '005999999999999999', 'call:' || external_id, 'PENDING', false, now(), now()
FROM leadsync.call_event WHERE status = 'pending' AND client_number !~ '^(\+49 89|089|0049 89) ' AND direction = 'inbound' AND channel = 'call';
INSERT INTO salesforce.contact (lastname, phone, leadsource, ownerid, leadsync_id__c, account__leadsync_id__c, _hc_lastop, isdeleted, createddate, systemmodstamp)
SELECT client_number, client_number, 'Phone', '005999999999999999', 'call:' || external_id, 'call:' || external_id, 'PENDING', false, now(), now()
FROM leadsync.call_event WHERE status = 'pending' AND client_number !~ '^(\+49 89|089|0049 89) ' AND direction = 'inbound' AND channel = 'call';
INSERT INTO salesforce.opportunity (name, stagename, closedate, ownerid, leadsource, leadsync_id__c, contact__leadsync_id__c,
                                    account__leadsync_id__c, _hc_lastop, isdeleted, createddate, systemmodstamp)
SELECT 'Call ' || client_number, 'Prospecting', CAST(started_at AS date) + 30, '005999999999999999', 'Phone', 'call:' || external_id,
       'call:' || external_id, 'call:' || external_id, 'PENDING', false, now(), now()
FROM leadsync.call_event WHERE status = 'pending' AND direction = 'inbound' AND channel = 'call';
UPDATE leadsync.call_event SET status = 'logged', logged_at = now() WHERE status = 'pending';
COMMIT;
\timing off
