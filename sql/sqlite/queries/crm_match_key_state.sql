-- Before a refresh: whether crm_match_key is empty (the first run: every key is read, and the
-- indexes are built once after loading instead of updated for every row); the file's owner may
-- always rebuild them.
-- params: none
-- returns: one
SELECT NOT EXISTS (SELECT 1 FROM crm_match_key) AS empty, 1 AS owned
