-- How the report names the contact rows that already carried a batch's external ids (written before
-- a crash, or by hand): their Salesforce id, or until Heroku Connect has synced them, that
-- external id. One statement per batch; :ids is a JSON array of [id] rows (BatchJSON).
-- params: :ids
-- returns: many
SELECT id, COALESCE(sfid, leadsync_id__c) AS record
FROM contact
WHERE id IN (SELECT json_extract(value, '$[0]') FROM json_each(:ids))
