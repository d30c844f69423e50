-- The accounts of the contacts a deals batch matched (CALL_RULES.md §9, UTM tags): by sfid
-- (accountid), or by external id (account__leadsync_id__c) for one this job created that has
-- none yet. Two selects, each by its unique index (one WHERE with OR read the whole table
-- for every batch).
-- params: :sfids, :leadsync_ids
-- returns: many
SELECT id, sfid, leadsync_id__c, ownerid, _hc_lastop, _hc_err, utm_source__c, utm_medium__c, utm_campaign__c, utm_term__c, utm_content__c
FROM account
WHERE sfid IN (SELECT jsonb_array_elements_text(CAST(:sfids AS jsonb)))
UNION
SELECT id, sfid, leadsync_id__c, ownerid, _hc_lastop, _hc_err, utm_source__c, utm_medium__c, utm_campaign__c, utm_term__c, utm_content__c
FROM account
WHERE leadsync_id__c IN (SELECT jsonb_array_elements_text(CAST(:leadsync_ids AS jsonb)))
