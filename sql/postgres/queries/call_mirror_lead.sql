-- The lead rows call events refer to, as Heroku Connect has left them (CALL_RULES.md §8): whether
-- each has its sfid yet, or Salesforce refused it (_hc_lastop FAILED, _hc_err), and its owner.
-- :ids is a JSON array of mirror ids.
-- params: :ids
-- returns: many
SELECT id, sfid, _hc_lastop, _hc_err, leadsync_id__c, ownerid
FROM lead
WHERE id IN (SELECT CAST(jsonb_array_elements_text(CAST(:ids AS jsonb)) AS bigint))
