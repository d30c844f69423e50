-- The same leaner indexes as on PostgreSQL (see its 008): key alone (a key never belongs to both
-- kinds; the probe filters kind on the row) and crm_id alone (the deletes filter crm_object on
-- the row). SQLite compares text byte by byte, so here the gain is only the smaller entries.
DROP INDEX crm_match_key_key_idx;
CREATE INDEX crm_match_key_key_idx ON crm_match_key (key);
DROP INDEX crm_match_key_record_idx;
CREATE INDEX crm_match_key_record_idx ON crm_match_key (crm_id);
