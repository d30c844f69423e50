-- The legal forms the company keys were made with (none before the first).
-- params: none
-- returns: one
SELECT legal_forms FROM crm_account_key_state WHERE id = 1
