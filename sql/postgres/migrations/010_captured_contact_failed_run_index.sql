-- The run index only for failed rows. captured_contact_run_idx indexed every row's run_id, and
-- each batch's outcome UPDATE sets run_id on every row it writes: an entry in that index per row,
-- for one reader, `leadsync report RUN`, which asks for a run's failed rows by reason
-- (captured_contact_failed_by_code: run_id = :run_id AND status = 'failed'). Partial on the
-- failed rows, the index gets an entry for a failed row only (a tenth of them in the bench).
-- Updating the status and run_id of 1M pending rows in one statement (the floor's UPDATE with
-- run_id set too, rolled back), on this machine (a slow day): 13.2 and 17.9 s with the full
-- index, 12.5 and 15.2 s with the partial one.
-- Builds the partial index once (one scan of captured_contact).
DROP INDEX {{job_schema}}.captured_contact_run_idx;
CREATE INDEX captured_contact_failed_run_idx ON {{job_schema}}.captured_contact (run_id) WHERE status = 'failed';
