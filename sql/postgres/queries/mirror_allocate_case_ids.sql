-- Draws ids for the case rows a call batch is about to write from the mirror's own serial (see
-- mirror_allocate_lead_ids).
-- params: :count
-- returns: many
SELECT nextval(seq) AS id, 1 AS ids
FROM CAST(pg_get_serial_sequence('"case"', 'id') AS regclass) AS seq,
     generate_series(1, CAST(:count AS integer))
