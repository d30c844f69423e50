-- How the report names the lead rows that already carried a batch's external ids (written before
-- a crash, or by hand): their Salesforce id, or until Heroku Connect has synced them, that
-- external id. One statement per batch; :ids is a JSON array of [id] rows (BatchJSON).
-- params: :ids
-- returns: many
SELECT id, COALESCE(sfid, leadsync_id__c) AS record
FROM lead
WHERE id IN (SELECT json_extract(value, '$[0]') FROM json_each(:ids))
