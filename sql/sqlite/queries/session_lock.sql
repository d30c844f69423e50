-- Differs from PostgreSQL: a no-op. Every writing transaction on SQLite starts with BEGIN
-- IMMEDIATE, which already holds the database's one write lock from the claim to the commit.
-- params: :lock_id
-- returns: one
SELECT :lock_id AS locked
