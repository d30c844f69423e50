-- Nothing to do on PostgreSQL (see SQLite, where an import advances the batch clock so that a
-- claim ahead read in a snapshot is taken again): here a claimed row is locked, and an import
-- that changes it waits for the batch holding it. Advancing the clock would only make every
-- import wait for the batches of every run.
-- params: none
-- returns: one
SELECT CAST(NULL AS bigint) AS seq
