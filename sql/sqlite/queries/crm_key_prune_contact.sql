-- Drops keys of contact rows that no longer exist in the mirror (deleted outright rather than
-- flagged isdeleted): one anti-join per run.
-- params: none
-- returns: affected
DELETE FROM crm_match_key
WHERE crm_object = 'contact'
  AND NOT EXISTS (SELECT 1 FROM contact m WHERE m.id = crm_match_key.crm_id)
