-- Held by a running run for its connection's life (see PostgreSQL).
-- Differs from PostgreSQL: a no-op. SQLite runs are on one machine; the next run checks the
-- recorded process id instead.
-- params: :id
-- returns: one
SELECT :id IS NOT NULL AS locked
