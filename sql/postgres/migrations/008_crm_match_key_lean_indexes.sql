-- Every batch writes its new records' keys into crm_match_key, and each key row costs an entry
-- in each index. Inserting one run's 2.36M key rows (1M captured contacts) took, measured
-- index by index here: heap 0.8 s, (key, kind) 3.8 s, (crm_object, crm_id) 3.0 s, batch_seq
-- 1.4 s. Two of these indexes carried a column that only a filter needs:
-- - key alone: an email key always holds '@' and a phone key is E.164 ('+' and digits), so a
--   key never belongs to both kinds; the probe filters kind on the row. 3.8 -> 2.6 s.
-- - crm_id alone: each mirror table counts its own ids, so an id finds the keys of one record
--   per object (a handful of rows), and the deletes filter crm_object on the row. The text
--   column was compared through the database's locale (it has no "C" collation) on every step
--   of the descent. 3.0 -> 1.2 s.
-- The job at 1M (2 warm runs each, in turn): write.keys 7.5 -> 6.4 s, the run 31.5 -> 29.1 s.
-- Rebuilds both indexes once (3.4 s for 6M keys here).
DROP INDEX {{job_schema}}.crm_match_key_key_idx;
CREATE INDEX crm_match_key_key_idx ON {{job_schema}}.crm_match_key (key);
DROP INDEX {{job_schema}}.crm_match_key_record_idx;
CREATE INDEX crm_match_key_record_idx ON {{job_schema}}.crm_match_key (crm_id);
