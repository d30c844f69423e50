-- Confirms the exported rows whose lead Heroku Connect has synced (SYNC_RULES.md §9): the mirror
-- row the job wrote for the row has its Salesforce id, whatever _hc_lastop says (a later update of
-- a synced record may fail; the record exists). The rows awaiting confirmation come from their
-- partial index (status exported, no crm_sfid), each mirror row by its id.
-- params: :now
-- returns: affected
UPDATE captured_contact c
SET crm_sfid = m.sfid, confirmed_at = COALESCE(c.confirmed_at, CAST(:now AS timestamptz))
FROM lead m
WHERE c.status = 'exported' AND c.crm_sfid IS NULL AND c.crm_object = 'lead'
  AND m.id = c.crm_id AND m.leadsync_id__c = c.external_id AND m.sfid IS NOT NULL
