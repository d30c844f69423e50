-- The mirror's tables and columns, so the job can check its mapping before touching a row.
-- params: :crm_schema
-- returns: many
SELECT table_name, column_name, data_type, character_maximum_length
FROM information_schema.columns
WHERE table_schema = :crm_schema
  AND table_name IN ('user', 'lead', 'contact', 'account', 'opportunity', 'case', 'task')
ORDER BY table_name, ordinal_position
