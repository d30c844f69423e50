-- The deals profile finds a new contact's open opportunity by the contact's external id until
-- Heroku Connect has synced both (call_opportunities: contactid IS NULL and
-- contact__leadsync_id__c): without an index that read walked every opportunity still without a
-- contact id, the run's own new ones included, once per batch (a 1M-event SQLite run's plan
-- step 32 s, growing with the events done). Production mirrors need the same index
-- (docs/operations.md).
CREATE INDEX opportunity_contact_leadsync_idx ON {{crm_schema}}.opportunity (contact__leadsync_id__c);
