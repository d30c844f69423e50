-- What the import does, as classified: new rows, updated pending rows, rows left alone.
-- params: none
-- returns: one
SELECT count(*) FILTER (WHERE action = 'new') AS new_rows,
       count(*) FILTER (WHERE action = 'update') AS updated_rows,
       count(*) FILTER (WHERE action = 'unchanged') AS unchanged_rows
FROM captured_contact_import
