-- Re-imported external ids classified 'update' take the file's values; columns absent from the file
-- keep theirs. Only an event still pending: one a run took meanwhile is left alone (`affected`).
-- params: :now
-- returns: affected
UPDATE call_event AS c
   SET source = COALESCE(i.source, c.source),
       channel = COALESCE(i.channel, c.channel),
       direction = COALESCE(i.direction, c.direction),
       outcome = COALESCE(i.outcome, c.outcome),
       started_at = COALESCE(CAST(i.started_at AS timestamptz), c.started_at),
       duration_seconds = COALESCE(CAST(i.duration_seconds AS integer), c.duration_seconds),
       wait_seconds = COALESCE(CAST(i.wait_seconds AS integer), c.wait_seconds),
       agent_email = COALESCE(i.agent_email, c.agent_email),
       client_number = COALESCE(i.client_number, c.client_number),
       line_number = COALESCE(i.line_number, c.line_number),
       recording_url = COALESCE(i.recording_url, c.recording_url),
       comments = COALESCE(i.comments, c.comments),
       tags = COALESCE(i.tags, c.tags),
       utm_source = COALESCE(i.utm_source, c.utm_source),
       utm_medium = COALESCE(i.utm_medium, c.utm_medium),
       utm_campaign = COALESCE(i.utm_campaign, c.utm_campaign),
       utm_term = COALESCE(i.utm_term, c.utm_term),
       utm_content = COALESCE(i.utm_content, c.utm_content),
       updated_at = CAST(:now AS timestamptz)
  FROM call_event_import i
 WHERE c.external_id = i.external_id
   AND i.action = 'update'
   AND c.status = 'pending'
