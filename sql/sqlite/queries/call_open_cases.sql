-- The open, live cases of the contacts call events matched: see the PostgreSQL query.
-- Differs from PostgreSQL: the array is read with json_each.
-- params: :sfids
-- returns: many
SELECT c.id, c.sfid, c.contactid, c.systemmodstamp, c._hc_lastop, c._hc_err
FROM "case" c
WHERE c.isdeleted = 0 AND c.isclosed = 0 AND c.contactid IN (SELECT value FROM json_each(:sfids))
