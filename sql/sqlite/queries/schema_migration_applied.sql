-- Versions of one migration set already applied, so migrate only runs the missing ones.
-- params: :set_name
-- returns: many
SELECT version FROM schema_migration WHERE set_name = :set_name ORDER BY version
