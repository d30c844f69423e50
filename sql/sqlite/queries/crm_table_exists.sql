-- Whether a table exists: Heroku Connect's `_trigger_log` and `_trigger_log_archive` are read only
-- where they are.
-- params: :name
-- returns: one
SELECT count(*) > 0 AS present FROM sqlite_master WHERE type = 'table' AND name = :name
