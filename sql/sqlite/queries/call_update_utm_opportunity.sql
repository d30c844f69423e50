-- Fills an existing opportunity's UTM tags from a logged call (CALL_RULES.md §9), only while all five are
-- still empty, and marks the row for Heroku Connect to push (_hc_lastop = 'PENDING', as its own
-- trigger does for an update); systemmodstamp is left to Salesforce.
-- params: :id, :utm_source__c, :utm_medium__c, :utm_campaign__c, :utm_term__c, :utm_content__c
-- returns: affected
UPDATE opportunity
SET utm_source__c = :utm_source__c, utm_medium__c = :utm_medium__c, utm_campaign__c = :utm_campaign__c,
    utm_term__c = :utm_term__c, utm_content__c = :utm_content__c, _hc_lastop = 'PENDING'
WHERE id = :id
  AND COALESCE(utm_source__c, '') = '' AND COALESCE(utm_medium__c, '') = '' AND COALESCE(utm_campaign__c, '') = ''
  AND COALESCE(utm_term__c, '') = '' AND COALESCE(utm_content__c, '') = ''
