-- The live opportunities of the contacts call events matched (CALL_RULES.md §7, §9): by the
-- contact's sfid (contactid), or, for one this job created that has no contactid yet, by the
-- contact's external id (contact__leadsync_id__c). Open and closed: the caller picks the most
-- recent of each (systemmodstamp, then id). :sfids and :leadsync_ids are JSON arrays.
-- params: :sfids, :leadsync_ids
-- returns: many
SELECT o.id, o.sfid, o.contactid, o.contact__leadsync_id__c, o.accountid, o.account__leadsync_id__c, o.isclosed, o.ownerid,
       o.systemmodstamp, o._hc_lastop, o._hc_err, o.utm_source__c, o.utm_medium__c, o.utm_campaign__c, o.utm_term__c, o.utm_content__c
FROM opportunity o
WHERE o.isdeleted = false AND o.contactid IN (SELECT jsonb_array_elements_text(CAST(:sfids AS jsonb)))
UNION ALL
SELECT o.id, o.sfid, o.contactid, o.contact__leadsync_id__c, o.accountid, o.account__leadsync_id__c, o.isclosed, o.ownerid,
       o.systemmodstamp, o._hc_lastop, o._hc_err, o.utm_source__c, o.utm_medium__c, o.utm_campaign__c, o.utm_term__c, o.utm_content__c
FROM opportunity o
WHERE o.isdeleted = false AND o.contactid IS NULL
  AND o.contact__leadsync_id__c IN (SELECT jsonb_array_elements_text(CAST(:leadsync_ids AS jsonb)))
