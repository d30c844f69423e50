-- Adds the keys of the mirror rows this batch wrote, so later batches and runs match them
-- without waiting for the next refresh.
-- params: :now
-- returns: affected
INSERT INTO crm_match_key (crm_object, crm_id, sfid, leadsync_id, kind, key, lastname_key, priority, systemmodstamp)
SELECT o.crm_object, o.crm_id, NULL, o.ref_external_id, b.kind, b.key, b.lastname_key,
       CASE o.crm_object WHEN 'contact' THEN 1 WHEN 'lead' THEN 2 ELSE 3 END, :now
FROM batch_outcome o
JOIN batch_key b ON b.row_id = o.id
WHERE o.status = 'exported' AND o.crm_id IS NOT NULL AND o.ref_external_id IS NOT NULL
