-- One call event by id, as call_event_claim reads it, if it is still to do: the one event of a
-- batch the mirror refused, claimed again before it fails alone.
-- params: :id
-- returns: many
SELECT e.id, e.external_id, e.source, e.channel, e.direction, e.outcome, e.started_at, e.duration_seconds, e.wait_seconds,
       e.agent_email, e.client_number, e.line_number, e.recording_url, e.comments, e.tags,
       e.utm_source, e.utm_medium, e.utm_campaign, e.utm_term, e.utm_content, e.status, e.waiting_since, e.updated_at
FROM call_event e
WHERE e.id = :id AND e.status IN ('pending', 'waiting')
