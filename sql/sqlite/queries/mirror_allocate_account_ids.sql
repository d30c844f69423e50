-- Ids for the account rows a batch is about to write, so the batch knows each new record's id up
-- front: its outcome and keys are written without looking the rows up again afterwards.
-- The batch holds SQLite's write lock (BEGIN IMMEDIATE), so nobody else takes these ids.
-- Differs from PostgreSQL: one row for the run of consecutive ids (`ids`: :count), after both the
-- highest id and the table's AUTOINCREMENT counter (crm_mirror 002), so that an id is never
-- used again, even one whose row was deleted.
-- params: :count
-- returns: many
SELECT max(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'account'), 0), COALESCE((SELECT MAX(id) FROM account), 0)) + 1 AS id,
       CAST(:count AS integer) AS ids
