-- Draws ids for the account rows a batch is about to write from the mirror's own serial, so the
-- batch knows each new record's id up front: its outcome and match keys are written without
-- looking the rows up again afterwards. A rolled-back batch leaves a gap, as any serial does.
-- The sequence is looked up once (in FROM), not for every id: 2 ms per 5,000 ids instead of 20.
-- One row per id (`ids`: 1), where SQLite returns one row for a run of consecutive ids.
-- params: :count
-- returns: many
SELECT nextval(seq) AS id, 1 AS ids
FROM CAST(pg_get_serial_sequence('account', 'id') AS regclass) AS seq,
     generate_series(1, CAST(:count AS integer))
