-- The most recent runs with their counts, newest first, for `leadsync status`.
-- params: :limit
-- returns: many
SELECT id, mode, started_at, finished_at, status, read_count, exported_count, failed_count, skipped_count,
       possible_duplicate_count, report_path, error
FROM sync_run
ORDER BY id DESC
LIMIT :limit
