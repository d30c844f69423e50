-- `retry` of rows Salesforce rejected (crm_rejected): their lead mirror rows, which never reached
-- Salesforce, go in the retry's transaction, so the next run maps the rows again. Only a row the
-- job wrote (its leadsync id) and that has no sfid. Returns the ids, whose keys go too.
-- Differs from PostgreSQL: no DELETE ... USING; the rows are found by a subquery.
-- params: :error_code, :max_attempts
-- returns: many
DELETE FROM lead
WHERE sfid IS NULL
  AND id IN (SELECT c.crm_id FROM captured_contact c
             WHERE c.status = 'failed' AND c.error_code = 'crm_rejected'
               AND (:error_code IS NULL OR c.error_code = :error_code)
               AND c.attempts < :max_attempts
               AND c.crm_object = 'lead' AND c.external_id = lead.leadsync_id__c)
RETURNING id
