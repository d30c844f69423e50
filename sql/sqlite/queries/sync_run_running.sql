-- Runs recorded as running: alive, or abandoned by a process that died.
-- params: none
-- returns: many
SELECT id, host, pid FROM sync_run WHERE status = 'running' ORDER BY id
