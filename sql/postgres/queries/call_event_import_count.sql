-- What the import does, as classified: new events, updated pending events, events left alone.
-- params: none
-- returns: one
SELECT count(*) FILTER (WHERE action = 'new') AS new_rows,
       count(*) FILTER (WHERE action = 'update') AS updated_rows,
       count(*) FILTER (WHERE action = 'unchanged') AS unchanged_rows
FROM call_event_import
