-- Fills crm_id of outcomes that point at a contact row written in this run, found by its
-- leadsync_id__c (unique, indexed).
-- params: none
-- returns: affected
UPDATE batch_outcome
SET crm_id = (SELECT m.id FROM contact m WHERE m.leadsync_id__c = batch_outcome.ref_external_id)
WHERE crm_object = 'contact' AND crm_id IS NULL AND ref_external_id IS NOT NULL
