-- A loaded crm_match_key now carries a mark (crm_match_key_mark_loaded), and the refresh reads
-- the whole mirror again only without it (it used to whenever the table was empty, so a CRM with
-- no email or phone was read again on every run). Keys loaded before this version get the mark
-- here, so the upgrade costs no full load; an empty table gets one at the next run, as before.
INSERT INTO crm_match_key (crm_object, crm_id, kind, key, lastname_key, priority)
SELECT 'leadsync', 0, '-', '', '', 0
WHERE EXISTS (SELECT 1 FROM crm_match_key);
