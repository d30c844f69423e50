-- Before a refresh: whether crm_match_key lacks its loaded mark (crm_match_key_mark_loaded: the
-- first run, or a manual DELETE: every key is read, and the indexes are built once after loading
-- instead of updated for every row); the file's owner may always rebuild them.
-- params: none
-- returns: one
SELECT NOT EXISTS (SELECT 1 FROM crm_match_key WHERE crm_object = 'leadsync' AND crm_id = 0) AS empty, 1 AS owned
