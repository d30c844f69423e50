-- Whether the process of a running run is gone (see PostgreSQL).
-- Differs from PostgreSQL: no session locks; the job checks the recorded process id on this
-- host itself, so this answers "unknown" (NULL).
-- params: :id
-- returns: one
SELECT NULL AS gone WHERE :id IS NOT NULL
