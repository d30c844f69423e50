-- The account rows call events refer to (CALL_RULES.md §8): see the PostgreSQL query.
-- Differs from PostgreSQL: the ids are read with json_each.
-- params: :ids
-- returns: many
SELECT id, sfid, _hc_lastop, _hc_err, leadsync_id__c, ownerid, ispersonaccount
FROM account
WHERE id IN (SELECT value FROM json_each(:ids))
