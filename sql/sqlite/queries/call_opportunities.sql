-- The live opportunities of the contacts call events matched (CALL_RULES.md §7, §9): see the
-- PostgreSQL query. Differs from PostgreSQL: the arrays are read with json_each, each the outer
-- loop of a CROSS JOIN (which SQLite never reorders), so every value is one probe of an index; left
-- to choose, with no statistics or stale ones, SQLite read every opportunity without a contact id
-- for every batch (the run's own new ones included: a 1M-event run's plan step grew to 30 s).
-- params: :sfids, :leadsync_ids
-- returns: many
SELECT o.id, o.sfid, o.contactid, o.contact__leadsync_id__c, o.accountid, o.account__leadsync_id__c, o.isclosed, o.ownerid,
       o.systemmodstamp, o._hc_lastop, o._hc_err, o.utm_source__c, o.utm_medium__c, o.utm_campaign__c, o.utm_term__c, o.utm_content__c
FROM json_each(:sfids) j CROSS JOIN opportunity o ON o.contactid = j.value
WHERE o.isdeleted = 0
UNION ALL
SELECT o.id, o.sfid, o.contactid, o.contact__leadsync_id__c, o.accountid, o.account__leadsync_id__c, o.isclosed, o.ownerid,
       o.systemmodstamp, o._hc_lastop, o._hc_err, o.utm_source__c, o.utm_medium__c, o.utm_campaign__c, o.utm_term__c, o.utm_content__c
FROM json_each(:leadsync_ids) j CROSS JOIN opportunity o ON o.contact__leadsync_id__c = j.value
WHERE o.isdeleted = 0 AND o.contactid IS NULL
