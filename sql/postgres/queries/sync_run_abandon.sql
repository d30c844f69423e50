-- Marks a run whose process is gone (killed, or cut off from the server) as failed.
-- params: :id, :now, :error
-- returns: affected
UPDATE sync_run
SET status = 'failed', finished_at = CAST(:now AS timestamptz), error = :error
WHERE id = :id AND status = 'running'
