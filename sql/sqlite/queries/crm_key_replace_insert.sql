-- Inserts the staged keys (kind '-' rows only mark a record whose old keys go).
-- params: none
-- returns: affected
INSERT INTO crm_match_key (crm_object, crm_id, sfid, leadsync_id, kind, key, lastname_key, priority, systemmodstamp)
SELECT crm_object, crm_id, sfid, leadsync_id, kind, key, lastname_key, priority, systemmodstamp
FROM crm_key_stage
WHERE kind <> '-'
