-- Ids for the contact rows a batch is about to write, so the batch knows each new record's id up
-- front: its outcome and match keys are written without looking the rows up again afterwards.
-- The batch holds SQLite's write lock (BEGIN IMMEDIATE), so nobody else takes these ids.
-- params: :count
-- returns: many
WITH RECURSIVE ids(id, n) AS (
    SELECT COALESCE(MAX(id), 0) + 1, 1 FROM contact
    UNION ALL
    SELECT id + 1, n + 1 FROM ids WHERE n < :count
)
SELECT id FROM ids
