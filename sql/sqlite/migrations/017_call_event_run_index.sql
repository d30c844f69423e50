-- call_event_run_idx (016) had no reader (see PostgreSQL's 017): each call batch's outcome UPDATE
-- moved every event's entry in it (the old run_id's deleted, the new one inserted) for nothing.
DROP INDEX call_event_run_idx;
