-- The live opportunities of the contacts call events matched (CALL_RULES.md §7, §9): see the
-- PostgreSQL query. Differs from PostgreSQL: the arrays are read with json_each.
-- params: :sfids, :leadsync_ids
-- returns: many
SELECT o.id, o.sfid, o.contactid, o.contact__leadsync_id__c, o.accountid, o.account__leadsync_id__c, o.isclosed, o.ownerid,
       o.systemmodstamp, o._hc_lastop, o._hc_err, o.utm_source__c, o.utm_medium__c, o.utm_campaign__c, o.utm_term__c, o.utm_content__c
FROM opportunity o
WHERE o.isdeleted = 0 AND o.contactid IN (SELECT value FROM json_each(:sfids))
UNION ALL
SELECT o.id, o.sfid, o.contactid, o.contact__leadsync_id__c, o.accountid, o.account__leadsync_id__c, o.isclosed, o.ownerid,
       o.systemmodstamp, o._hc_lastop, o._hc_err, o.utm_source__c, o.utm_medium__c, o.utm_campaign__c, o.utm_term__c, o.utm_content__c
FROM opportunity o
WHERE o.isdeleted = 0 AND o.contactid IS NULL AND o.contact__leadsync_id__c IN (SELECT value FROM json_each(:leadsync_ids))
