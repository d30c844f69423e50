-- Ids for the contact rows a batch is about to write, so the batch knows each new record's id up
-- front: its outcome and match keys are written without looking the rows up again afterwards.
-- The batch holds SQLite's write lock (BEGIN IMMEDIATE), so nobody else takes these ids.
-- One row: the first id and how many follow it (`ids`: :count). A recursive CTE that returned
-- each id as a row cost the writer 0.6-0.75 s per 1M rows, building the rows.
-- params: :count
-- returns: many
SELECT COALESCE(MAX(id), 0) + 1 AS id, CAST(:count AS integer) AS ids FROM contact
