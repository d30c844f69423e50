-- Records a run's end and its counts (the same as its report).
-- params: :id, :now, :status, :read_count, :exported_count, :failed_count, :skipped_count, :possible_duplicate_count, :report_path, :error,
--         :calls_read_count, :calls_logged_count, :calls_waiting_count, :calls_skipped_count, :calls_failed_count
-- returns: affected
UPDATE sync_run
SET finished_at = CAST(:now AS timestamptz), status = :status, read_count = :read_count, exported_count = :exported_count,
    failed_count = :failed_count, skipped_count = :skipped_count,
    possible_duplicate_count = :possible_duplicate_count, report_path = :report_path, error = :error,
    calls_read_count = :calls_read_count, calls_logged_count = :calls_logged_count, calls_waiting_count = :calls_waiting_count,
    calls_skipped_count = :calls_skipped_count, calls_failed_count = :calls_failed_count
WHERE id = :id
