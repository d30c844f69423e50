-- How many records have keys (SQLite weighs a merge of pending keys by it; not called here).
-- params: none
-- returns: one
SELECT count(*) AS records FROM crm_match_key
