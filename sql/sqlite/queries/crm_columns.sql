-- The mirror's tables and columns, so the job can check its mapping before touching a row.
-- Differs from PostgreSQL: no information_schema; pragma_table_info lists the columns, and
-- lengths live in CHECK constraints, so character_maximum_length is NULL.
-- params: :crm_schema (unused: SQLite has one schema)
-- returns: many
SELECT m.name AS table_name, p.name AS column_name, lower(p.type) AS data_type, NULL AS character_maximum_length
FROM sqlite_master m
JOIN pragma_table_info(m.name) p
WHERE m.type = 'table'
  AND m.name IN ('user', 'lead', 'contact', 'account', 'opportunity', 'case', 'task')
  AND coalesce(:crm_schema, '') = coalesce(:crm_schema, '')
ORDER BY m.name, p.cid
