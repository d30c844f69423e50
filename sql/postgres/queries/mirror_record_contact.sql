-- How the report names a contact row that already carried a row's external id: its Salesforce
-- id, or until Heroku Connect has synced it, that external id.
-- params: :id
-- returns: one
SELECT COALESCE(sfid, leadsync_id__c) AS record FROM contact WHERE id = :id
