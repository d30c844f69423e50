-- Empties the company keys: before a full load, or when the configured legal forms changed.
-- Differs from PostgreSQL: SQLite has no TRUNCATE (a DELETE without WHERE is its fast path).
-- params: none
-- returns: affected
DELETE FROM crm_account_key
