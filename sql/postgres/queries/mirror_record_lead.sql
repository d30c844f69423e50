-- How the report names a lead row that already carried a row's external id: its Salesforce
-- id, or until Heroku Connect has synced it, that external id.
-- params: :id
-- returns: one
SELECT COALESCE(sfid, leadsync_id__c) AS record FROM lead WHERE id = :id
