-- How many exported rows Salesforce has not confirmed since before :cutoff (now less
-- max_wait_minutes, SYNC_RULES.md §9): the report and the admin mail list them, and the admin
-- subject starts with ALERT.
-- params: :cutoff
-- returns: one
SELECT count(*) AS unconfirmed FROM captured_contact
WHERE status = 'exported' AND crm_sfid IS NULL AND confirmed_at IS NULL AND exported_at < CAST(:cutoff AS timestamptz)
