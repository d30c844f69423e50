-- The run index only for failed rows (see PostgreSQL's 010): the outcome UPDATE sets run_id on
-- every row, and SQLite moved each row's entry in the full index (the old run_id's entry deleted,
-- the new one inserted) for the report's failed-by-reason lookup alone. Updating the status and
-- run_id of 1M pending rows in one statement (rolled back), here: 5.8 and 6.4 s with the full
-- index, 3.1 and 3.8 s without it, 3.2 and 4.7 s with the partial one.
DROP INDEX captured_contact_run_idx;
CREATE INDEX captured_contact_failed_run_idx ON captured_contact (run_id) WHERE status = 'failed';
