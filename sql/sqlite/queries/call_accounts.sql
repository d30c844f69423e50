-- The accounts of the contacts a deals batch matched (CALL_RULES.md §9, UTM tags): by sfid
-- (accountid), or by external id (account__leadsync_id__c) for one this job created that has
-- none yet. Differs from PostgreSQL: the arrays are read with json_each, each the outer loop of a
-- CROSS JOIN, so every value is one probe of the column's unique index. One WHERE with OR made
-- SQLite read the whole table for every batch; so did statistics taken before the job set any
-- external id (every account's NULL counted as one key), hence INDEXED BY the external id's
-- UNIQUE index (the table's second UNIQUE column, crm_mirror 002).
-- params: :sfids, :leadsync_ids
-- returns: many
SELECT a.id, a.sfid, a.leadsync_id__c, a.ownerid, a._hc_lastop, a._hc_err, a.utm_source__c, a.utm_medium__c, a.utm_campaign__c, a.utm_term__c, a.utm_content__c
FROM json_each(:sfids) j CROSS JOIN account a ON a.sfid = j.value
UNION
SELECT a.id, a.sfid, a.leadsync_id__c, a.ownerid, a._hc_lastop, a._hc_err, a.utm_source__c, a.utm_medium__c, a.utm_campaign__c, a.utm_term__c, a.utm_content__c
FROM json_each(:leadsync_ids) j CROSS JOIN account a INDEXED BY sqlite_autoindex_account_2 ON a.leadsync_id__c = j.value
