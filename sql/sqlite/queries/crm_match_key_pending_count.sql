-- How many records' keys are pending (migration 012): from the partial batch_seq index.
-- params: none
-- returns: one
SELECT count(*) AS pending FROM crm_match_key WHERE pending = 1
