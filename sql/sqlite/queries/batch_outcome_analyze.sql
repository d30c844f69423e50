-- Gives the planner the batch's real size before the write-back joins captured_contact, so it
-- probes the primary key instead of scanning the table for every batch.
-- params: none
-- returns: none
ANALYZE temp.batch_outcome
