-- Serialises one kind of work across processes until the transaction ends.
-- Differs from PostgreSQL: a no-op. Every writing transaction on SQLite starts with BEGIN
-- IMMEDIATE, which already holds the database's one write lock.
-- params: :lock_id
-- returns: one
SELECT :lock_id AS locked
