-- Rows per status, for `leadsync status`.
-- params: none
-- returns: many
SELECT status, count(*) AS row_count FROM captured_contact GROUP BY status ORDER BY status
