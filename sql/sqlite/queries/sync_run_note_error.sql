-- Records a problem found after a run finished (mail delivery) on its sync_run row.
-- params: :id, :error
-- returns: affected
UPDATE sync_run SET error = :error WHERE id = :id
