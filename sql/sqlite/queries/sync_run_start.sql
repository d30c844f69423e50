-- Records a run as it starts, so `status` shows it while it works.
-- params: :mode, :now, :config_checksum
-- returns: one
INSERT INTO sync_run (mode, started_at, status, config_checksum)
VALUES (:mode, :now, 'running', :config_checksum)
RETURNING id
