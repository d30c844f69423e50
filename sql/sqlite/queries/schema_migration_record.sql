-- Records one applied migration in the same transaction as its DDL.
-- params: :set_name, :version, :name
-- returns: none
INSERT INTO schema_migration (set_name, version, name) VALUES (:set_name, :version, :name)
