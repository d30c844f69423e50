-- Drops the company keys of a page of changed accounts before their keys are loaded again.
-- params: :ids (the page's mirror ids, comma-separated)
-- returns: affected
DELETE FROM crm_account_key
WHERE crm_id IN (SELECT value FROM json_each('[' || :ids || ']'))
