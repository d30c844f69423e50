-- Removes every key before a full load (crm_match_key not marked loaded: normally it is empty
-- already, but keys left without the mark would otherwise be loaded twice).
-- params: none
-- returns: affected
DELETE FROM crm_match_key
