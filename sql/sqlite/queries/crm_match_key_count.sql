-- How many records have keys, to weigh a merge of pending keys against rebuilding the key indexes
-- (SyncJob's merge; asked only when many keys are pending: it counts the record index).
-- params: none
-- returns: one
SELECT count(*) AS records FROM crm_match_key
