-- Call events per status, for `leadsync status`.
-- params: none
-- returns: many
SELECT status, count(*) AS row_count FROM call_event GROUP BY status ORDER BY status
