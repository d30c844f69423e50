-- Forgets how far the refresh has read (and what the last prune saw) when crm_match_key is
-- empty: after a crash emptied the unlogged table, or a manual TRUNCATE. The refresh then reads
-- every mirror row again, as on the first run.
-- params: none
-- returns: affected
DELETE FROM crm_key_watermark
