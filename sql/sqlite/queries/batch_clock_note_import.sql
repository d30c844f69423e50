-- An import that changes captured rows counts as a batch on the batch clock, in its transaction:
-- a run's claim ahead read its rows in a snapshot and keeps them only if nothing but the run's
-- own batch was written since (BatchPipeline), so an import in between makes it claim them again
-- and export what the import wrote.
-- Differs from PostgreSQL, where it does nothing: there a claimed row is locked, and an import
-- waits for the batch holding it.
-- params: none
-- returns: one
UPDATE batch_clock SET seq = seq + 1 WHERE id = 1 RETURNING seq
