-- Serialises concurrent `leadsync migrate` runs until the transaction ends.
-- params: none
-- returns: one
SELECT pg_advisory_xact_lock(7423011001)
