-- The first refresh loads every CRM key into an empty table: it drops the indexes and builds
-- them once at the end (crm_match_key_create_*), in the same transaction, which is several
-- times faster than updating them for each of millions of rows.
-- params: none
-- returns: none
DROP INDEX crm_match_key_phone_idx
