-- Empties the staging table before a load (a no-op on PostgreSQL, where it is new per transaction).
-- params: none
-- returns: affected
DELETE FROM captured_contact_import
