-- Records a run as it starts, so `status` shows it while it works, with the host and process
-- running it (a run whose process is gone is marked failed by the next one).
-- params: :mode, :now, :config_checksum, :host, :pid
-- returns: one
INSERT INTO sync_run (mode, started_at, status, config_checksum, host, pid)
VALUES (:mode, :now, 'running', :config_checksum, :host, :pid)
RETURNING id
