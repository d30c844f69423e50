-- Before a refresh: whether crm_match_key lacks its loaded mark (crm_match_key_mark_loaded: the
-- first run, or a crash emptied the unlogged table: every key is read again), and whether the job's role owns it, so that such a
-- full load may drop the indexes and build them once after loading instead of updating them for
-- every row. A role without ownership (the least-privilege role of the README) loads into the
-- indexed table, which is slower but needs no extra right.
-- params: none
-- returns: one
SELECT NOT EXISTS (SELECT 1 FROM crm_match_key WHERE crm_object = 'leadsync' AND crm_id = 0) AS empty, pg_has_role(c.relowner, 'USAGE') AS owned
FROM pg_class c
WHERE c.oid = CAST('crm_match_key' AS regclass)
