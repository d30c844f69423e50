-- `retry` of rows Salesforce rejected (crm_rejected): their contact mirror rows, which never reached
-- Salesforce, go in the retry's transaction, so the next run maps the rows again. Only a row the
-- job wrote (its leadsync id) and that has no sfid. Returns the ids, whose keys go too.
-- params: :error_code, :max_attempts
-- returns: many
DELETE FROM contact m
USING captured_contact c
WHERE c.status = 'failed' AND c.error_code = 'crm_rejected'
  AND (CAST(:error_code AS text) IS NULL OR c.error_code = :error_code)
  AND c.attempts < :max_attempts
  AND c.crm_object = 'contact' AND m.id = c.crm_id AND m.leadsync_id__c = c.external_id AND m.sfid IS NULL
RETURNING m.id
