-- Drops the company keys of accounts deleted outright from the mirror: one anti-join, run only
-- when the account table lost rows since the last look.
-- params: none
-- returns: affected
DELETE FROM crm_account_key
WHERE NOT EXISTS (SELECT 1 FROM account m WHERE m.id = crm_account_key.crm_id)
