-- Removes the keys of one page of mirror records (changed, deleted or new) before their current
-- keys are loaded with COPY. One statement per page, through the crm_id index.
-- params: :crm_object, :ids (the page's mirror ids, comma-separated)
-- returns: affected
DELETE FROM crm_match_key
WHERE crm_object = :crm_object
  AND crm_id = ANY (CAST(string_to_array(:ids, ',') AS bigint[]))
