-- Empties the company keys: before a full load, or when the configured legal forms changed.
-- A DELETE, not TRUNCATE: the job's role has no TRUNCATE privilege (least privilege).
-- params: none
-- returns: affected
DELETE FROM crm_account_key
