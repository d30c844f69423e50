-- Removes the keys of one page of mirror records (changed, deleted or new) before their current
-- keys are inserted. One statement per page, through the crm_id index.
-- Differs from PostgreSQL: no arrays; the ids are read with json_each.
-- params: :crm_object, :ids (the page's mirror ids, comma-separated)
-- returns: affected
DELETE FROM crm_match_key
WHERE crm_object = :crm_object
  AND crm_id IN (SELECT value FROM json_each('[' || :ids || ']'))
