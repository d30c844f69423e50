-- Claims call events in processing order (CALL_RULES.md §1): pending ones whose call has ended and
-- settled (started_at + duration + waiting time at or before :cutoff), and every waiting one
-- (§8) once a run: those no batch has processed since this run started (:run_started_at), so a
-- run, and the runs beside it, take a waiting event once; within a backfill's [since, until) of
-- started_at; after (:after_started_at, :after_id)
-- for a claim ahead. Locks them (SKIP LOCKED: another process's batch holds its own).
-- params: :cutoff, :run_started_at, :since, :until, :after_started_at, :after_id, :limit
-- returns: many
SELECT e.id, e.external_id, e.source, e.channel, e.direction, e.outcome, e.started_at, e.duration_seconds, e.wait_seconds,
       e.agent_email, e.client_number, e.line_number, e.recording_url, e.comments, e.tags,
       e.utm_source, e.utm_medium, e.utm_campaign, e.utm_term, e.utm_content, e.status, e.waiting_since, e.updated_at
FROM call_event e
WHERE e.status IN ('pending', 'waiting')
  AND (e.status = 'waiting' AND e.updated_at < CAST(:run_started_at AS timestamptz)
       OR e.status = 'pending' AND e.started_at + make_interval(secs => e.duration_seconds + e.wait_seconds) <= CAST(:cutoff AS timestamptz))
  AND e.started_at >= COALESCE(CAST(:since AS timestamptz), '-infinity')
  AND e.started_at <  COALESCE(CAST(:until AS timestamptz), 'infinity')
  AND (e.started_at, e.id) > (COALESCE(CAST(:after_started_at AS timestamptz), '-infinity'), COALESCE(CAST(:after_id AS bigint), 0))
ORDER BY e.started_at, e.id
LIMIT :limit
FOR UPDATE OF e SKIP LOCKED
