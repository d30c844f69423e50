-- Marks crm_match_key as loaded, after a full load: one row no match can find (no key), of
-- no mirror object (so no prune or re-key removes it). The refresh reads the whole mirror again
-- only when this row is missing: on the first run, or after a crash emptied the unlogged table
-- (PostgreSQL) or a manual TRUNCATE. Without it, a CRM with no email or phone at all left the
-- table empty, and every run read the whole mirror again.
-- params: none
-- returns: affected
INSERT INTO crm_match_key (crm_object, crm_id, lastname_key, priority)
VALUES ('leadsync', 0, '', 0)
