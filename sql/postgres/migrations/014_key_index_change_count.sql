-- A batch is matched ahead of its turn (while the batch before it is written) and, once it holds
-- the batch lock, keeps that match only if the key index changed since by that one batch of its
-- own run, which it then catches up on in memory; after any other change it is matched again.
-- What it compares is batch_clock.keys_changed, which a statement-level trigger advances on every
-- write into crm_match_key, so no writer (a batch, a refresh, another process) can leave it out.
-- This replaces the batch clock's stamps on each key (migration 006) and the catch-up query that
-- read them: batch_seq and its index go, and the clock counts changes instead of batches.
-- A statement trigger runs once per statement, not per row: a batch's keys are one COPY. Its
-- UPDATE locks the clock's row until the writing transaction ends, so writers of keys commit one
-- after another (batches do anyway, under the batch lock).
DROP INDEX {{job_schema}}.crm_match_key_batch_idx;
ALTER TABLE {{job_schema}}.crm_match_key DROP COLUMN batch_seq;
ALTER TABLE {{job_schema}}.batch_clock DROP COLUMN seq;
ALTER TABLE {{job_schema}}.batch_clock ADD COLUMN keys_changed bigint NOT NULL DEFAULT 0;
CREATE FUNCTION {{job_schema}}.crm_match_key_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE {{job_schema}}.batch_clock SET keys_changed = keys_changed + 1 WHERE id = 1;
    RETURN NULL;
END $$;
CREATE TRIGGER crm_match_key_changed AFTER INSERT OR UPDATE OR DELETE ON {{job_schema}}.crm_match_key
    FOR EACH STATEMENT EXECUTE FUNCTION {{job_schema}}.crm_match_key_count_change();
CREATE TRIGGER crm_match_key_truncated AFTER TRUNCATE ON {{job_schema}}.crm_match_key
    FOR EACH STATEMENT EXECUTE FUNCTION {{job_schema}}.crm_match_key_count_change();
