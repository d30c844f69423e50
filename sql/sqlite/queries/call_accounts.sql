-- The accounts of the contacts a deals batch matched (CALL_RULES.md §9, UTM tags): by sfid
-- (accountid), or by external id (account__leadsync_id__c) for one this job created that has
-- none yet. Differs from PostgreSQL: the arrays are read with json_each.
-- params: :sfids, :leadsync_ids
-- returns: many
SELECT id, sfid, leadsync_id__c, ownerid, _hc_lastop, _hc_err, utm_source__c, utm_medium__c, utm_campaign__c, utm_term__c, utm_content__c
FROM account
WHERE sfid IN (SELECT value FROM json_each(:sfids)) OR leadsync_id__c IN (SELECT value FROM json_each(:leadsync_ids))
