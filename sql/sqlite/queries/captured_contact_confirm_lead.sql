-- Confirms the exported rows whose lead Heroku Connect has synced (SYNC_RULES.md §9): the mirror
-- row the job wrote for the row has its Salesforce id, whatever _hc_lastop says.
-- Differs from PostgreSQL: no UPDATE ... FROM join on the mirror id; the id is looked up per row
-- of the partial index (status exported, no crm_sfid).
-- params: :now
-- returns: affected
UPDATE captured_contact
SET crm_sfid = (SELECT m.sfid FROM lead m WHERE m.id = captured_contact.crm_id), confirmed_at = COALESCE(confirmed_at, :now)
WHERE status = 'exported' AND crm_sfid IS NULL AND crm_object = 'lead'
  AND EXISTS (SELECT 1 FROM lead m WHERE m.id = captured_contact.crm_id AND m.leadsync_id__c = captured_contact.external_id
                                   AND m.sfid IS NOT NULL)
