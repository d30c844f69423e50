-- Records the legal forms the company keys are made with from now on.
-- params: :legal_forms
-- returns: affected
INSERT INTO crm_account_key_state (id, legal_forms) VALUES (1, :legal_forms)
ON CONFLICT (id) DO UPDATE SET legal_forms = excluded.legal_forms
