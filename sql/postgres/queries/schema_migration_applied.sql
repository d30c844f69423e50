-- Migrations of one set already applied, so migrate only runs the missing ones (and a run can
-- tell one applied by a newer leadsync, which this binary does not have).
-- params: :set_name
-- returns: many
SELECT version, name FROM schema_migration WHERE set_name = :set_name ORDER BY version
