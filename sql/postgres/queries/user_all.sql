-- CRM users by email, for owner resolution (SYNC_RULES.md §6); read once per run.
-- params: none
-- returns: many
SELECT sfid, lower(trim(email)) AS email_key, name, isactive FROM "user" WHERE email IS NOT NULL
