-- A page of the lead table for a full load (the refresh after crm_match_key was emptied), in
-- (systemmodstamp, id) order: crm_changed_lead without its `keyed` check, which a full load
-- never asks. Read on the run's second connection, a page ahead, while the first writes the
-- keys of the page before; it names no job table, so on PostgreSQL it does not wait for the
-- exclusive lock the load holds on crm_match_key until it commits.
-- params: :after_ts, :after_id, :limit
-- returns: many
SELECT id, sfid, email, phone, mobilephone AS mobile, lastname, isdeleted = 0 AS live, leadsync_id__c AS leadsync_id, systemmodstamp
FROM lead
WHERE (systemmodstamp, id) > (:after_ts, :after_id)
ORDER BY systemmodstamp, id
LIMIT :limit
