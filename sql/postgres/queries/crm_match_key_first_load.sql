-- Whether the refresh is the first load: no CRM key stored yet, and the job's role owns
-- crm_match_key, so it may drop the indexes and build them once after loading instead of
-- updating them for every row. A role without ownership (the least-privilege role of the
-- README) loads into the indexed table, which is slower but needs no extra right.
-- params: none
-- returns: one
SELECT NOT EXISTS (SELECT 1 FROM crm_match_key) AND pg_has_role(c.relowner, 'USAGE') AS first_load
FROM pg_class c
WHERE c.oid = CAST('crm_match_key' AS regclass)
