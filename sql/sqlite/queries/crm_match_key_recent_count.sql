-- About how many records the recent level of key indexes holds (migration 013), to decide how a
-- large merge goes (CRMKeyIndex.mergePending): the larger of its email and phone indexes' counts,
-- each read from its index alone.
-- params: none
-- returns: one
SELECT max((SELECT count(*) FROM crm_match_key WHERE email_key IS NOT NULL AND pending = 2),
           (SELECT count(*) FROM crm_match_key WHERE phone_key IS NOT NULL AND pending = 2)) AS recent
