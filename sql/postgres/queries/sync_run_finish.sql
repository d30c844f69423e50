-- Records a run's end and its counts (the same as its report).
-- params: :id, :now, :status, :read_count, :exported_count, :failed_count, :skipped_count, :possible_duplicate_count, :report_path, :error
-- returns: affected
UPDATE sync_run
SET finished_at = CAST(:now AS timestamptz), status = :status, read_count = :read_count, exported_count = :exported_count,
    failed_count = :failed_count, skipped_count = :skipped_count,
    possible_duplicate_count = :possible_duplicate_count, report_path = :report_path, error = :error
WHERE id = :id
