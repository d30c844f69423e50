-- The deals profile's read of a new contact's open opportunity by the contact's external id (see
-- PostgreSQL's 003): without this index it walked every opportunity still without a contact id.
CREATE INDEX opportunity_contact_leadsync_idx ON opportunity (contact__leadsync_id__c);
