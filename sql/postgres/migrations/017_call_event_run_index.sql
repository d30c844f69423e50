-- call_event_run_idx (016) had no reader: no query asks for call events by run_id (a run's counts
-- are in sync_run, its events in its report). Each call batch's outcome UPDATE sets run_id on every
-- event it writes, so the index took an entry per event for nothing, as captured_contact_run_idx
-- did before 010.
DROP INDEX {{job_schema}}.call_event_run_idx;
