-- One run, for `leadsync report RUN_ID`.
-- params: :id
-- returns: one
SELECT id, mode, started_at, finished_at, status, read_count, exported_count, failed_count, skipped_count,
       possible_duplicate_count, report_path, config_checksum, error,
       calls_read_count, calls_logged_count, calls_waiting_count, calls_skipped_count, calls_failed_count
FROM sync_run
WHERE id = :id
