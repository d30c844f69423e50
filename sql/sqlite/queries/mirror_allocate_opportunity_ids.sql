-- Ids for the opportunity rows a call batch is about to write (see mirror_allocate_lead_ids).
-- Differs from PostgreSQL: one row for the run of consecutive ids, after the AUTOINCREMENT counter.
-- params: :count
-- returns: many
SELECT max(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'opportunity'), 0), COALESCE((SELECT MAX(id) FROM opportunity), 0)) + 1 AS id,
       CAST(:count AS integer) AS ids
