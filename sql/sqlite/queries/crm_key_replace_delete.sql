-- Removes the old keys of every mirror record in the staged chunk (changed, deleted or new),
-- before their current keys are inserted. kind '-' rows in the stage name those records.
-- Differs from PostgreSQL: no DELETE ... USING; the join picks rowids through the
-- (crm_object, crm_id) index instead of scanning crm_match_key per staged row.
-- params: none
-- returns: affected
DELETE FROM crm_match_key
WHERE rowid IN (SELECT k.rowid
                FROM crm_key_stage s
                JOIN crm_match_key k ON k.crm_object = s.crm_object AND k.crm_id = s.crm_id
                WHERE s.kind = '-')
