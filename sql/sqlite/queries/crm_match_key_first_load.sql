-- Whether the refresh is the first load: no CRM key stored yet, so it may drop the indexes and
-- build them once after loading instead of updating them for every row.
-- params: none
-- returns: one
SELECT NOT EXISTS (SELECT 1 FROM crm_match_key) AS first_load
