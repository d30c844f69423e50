-- What the import does, as classified: new events, updated pending events, events left alone.
-- params: none
-- returns: one
SELECT sum(action = 'new') AS new_rows, sum(action = 'update') AS updated_rows, sum(action = 'unchanged') AS unchanged_rows
FROM call_event_import
