-- Empties call_outcome before a batch's load (PostgreSQL empties it at every commit as well).
-- params: none
-- returns: affected
DELETE FROM call_outcome
