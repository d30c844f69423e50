-- New external ids become pending events. A file without a source column imports as 'csv', without
-- a channel as 'call'; empty durations are 0. DO NOTHING covers a concurrent import of the same id
-- (the WHERE clause lets SQLite parse ON CONFLICT after INSERT ... SELECT).
-- params: :now
-- returns: affected
INSERT INTO call_event (external_id, source, channel, direction, outcome, started_at, duration_seconds, wait_seconds, agent_email, client_number, line_number, recording_url, comments, tags, utm_source, utm_medium, utm_campaign, utm_term, utm_content, status, updated_at)
SELECT i.external_id, COALESCE(NULLIF(i.source, ''), 'csv'), COALESCE(NULLIF(i.channel, ''), 'call'), COALESCE(i.direction, ''), i.outcome, i.started_at, COALESCE(CAST(NULLIF(i.duration_seconds, '') AS integer), 0), COALESCE(CAST(NULLIF(i.wait_seconds, '') AS integer), 0), i.agent_email, i.client_number, i.line_number, i.recording_url, i.comments, i.tags, i.utm_source, i.utm_medium, i.utm_campaign, i.utm_term, i.utm_content, 'pending', :now
  FROM call_event_import i
 WHERE i.action = 'new'
ON CONFLICT (external_id) DO NOTHING
