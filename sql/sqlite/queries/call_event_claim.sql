-- Claims call events in processing order (CALL_RULES.md §1): see the PostgreSQL query.
-- Differs from PostgreSQL: the call's end is strftime arithmetic on ISO-8601 text; no row locks
-- (the batch holds SQLite's write lock). A claim ahead's cursor is also the index range's lower
-- bound (max with :since): SQLite seeks with one lower bound per column, and given :since alone it
-- walked every event before the cursor still in the index, the run's waiting ones included, so a
-- claim cost grew with the events done (16 to 76 ms over a 300k-event run here; 10 ms now).
-- params: :cutoff, :run_started_at, :since, :until, :after_started_at, :after_id, :limit
-- returns: many
SELECT e.id, e.external_id, e.source, e.channel, e.direction, e.outcome, e.started_at, e.duration_seconds, e.wait_seconds,
       e.agent_email, e.client_number, e.line_number, e.recording_url, e.comments, e.tags,
       e.utm_source, e.utm_medium, e.utm_campaign, e.utm_term, e.utm_content, e.status, e.waiting_since, e.updated_at
FROM call_event e
WHERE e.status IN ('pending', 'waiting')
  AND (e.status = 'waiting' AND e.updated_at < :run_started_at
       OR e.status = 'pending' AND strftime('%Y-%m-%dT%H:%M:%fZ', e.started_at, (e.duration_seconds + e.wait_seconds) || ' seconds') <= :cutoff)
  AND e.started_at >= max(COALESCE(:since, ''), COALESCE(:after_started_at, ''))
  AND e.started_at <  COALESCE(:until, '9999')
  AND (e.started_at, e.id) > (COALESCE(:after_started_at, ''), COALESCE(:after_id, 0))
ORDER BY e.started_at, e.id
LIMIT :limit
