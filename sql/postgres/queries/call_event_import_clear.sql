-- Empties the staging table before a load (a no-op on PostgreSQL, where it is new per transaction).
-- params: none
-- returns: affected
DELETE FROM call_event_import
