-- The open, live cases of the contacts call events matched (CALL_RULES.md §7: attach_to = "case"),
-- by the contact's sfid; the caller picks the most recent (systemmodstamp, then id). :sfids is a
-- JSON array.
-- params: :sfids
-- returns: many
SELECT c.id, c.sfid, c.contactid, c.systemmodstamp, c._hc_lastop, c._hc_err
FROM "case" c
WHERE c.isdeleted = false AND c.isclosed = false AND c.contactid IN (SELECT jsonb_array_elements_text(CAST(:sfids AS jsonb)))
