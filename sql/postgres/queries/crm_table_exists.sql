-- Whether a table of the mirror (or the job's schema) exists, by its bare name on the search path:
-- Heroku Connect's `_trigger_log` and `_trigger_log_archive` are read only where they are.
-- params: :name
-- returns: one
SELECT to_regclass(CAST(:name AS text)) IS NOT NULL AS present
