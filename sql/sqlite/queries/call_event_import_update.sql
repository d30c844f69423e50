-- Re-imported external ids classified 'update' take the file's values: see the PostgreSQL query.
-- Differs from PostgreSQL: correlated subqueries for each column.
-- params: :now
-- returns: affected
UPDATE call_event
   SET source = COALESCE((SELECT i.source FROM call_event_import i WHERE i.external_id = call_event.external_id), source),
       channel = COALESCE((SELECT i.channel FROM call_event_import i WHERE i.external_id = call_event.external_id), channel),
       direction = COALESCE((SELECT i.direction FROM call_event_import i WHERE i.external_id = call_event.external_id), direction),
       outcome = COALESCE((SELECT i.outcome FROM call_event_import i WHERE i.external_id = call_event.external_id), outcome),
       started_at = COALESCE((SELECT i.started_at FROM call_event_import i WHERE i.external_id = call_event.external_id), started_at),
       duration_seconds = COALESCE((SELECT CAST(i.duration_seconds AS integer) FROM call_event_import i WHERE i.external_id = call_event.external_id), duration_seconds),
       wait_seconds = COALESCE((SELECT CAST(i.wait_seconds AS integer) FROM call_event_import i WHERE i.external_id = call_event.external_id), wait_seconds),
       agent_email = COALESCE((SELECT i.agent_email FROM call_event_import i WHERE i.external_id = call_event.external_id), agent_email),
       client_number = COALESCE((SELECT i.client_number FROM call_event_import i WHERE i.external_id = call_event.external_id), client_number),
       line_number = COALESCE((SELECT i.line_number FROM call_event_import i WHERE i.external_id = call_event.external_id), line_number),
       recording_url = COALESCE((SELECT i.recording_url FROM call_event_import i WHERE i.external_id = call_event.external_id), recording_url),
       comments = COALESCE((SELECT i.comments FROM call_event_import i WHERE i.external_id = call_event.external_id), comments),
       tags = COALESCE((SELECT i.tags FROM call_event_import i WHERE i.external_id = call_event.external_id), tags),
       utm_source = COALESCE((SELECT i.utm_source FROM call_event_import i WHERE i.external_id = call_event.external_id), utm_source),
       utm_medium = COALESCE((SELECT i.utm_medium FROM call_event_import i WHERE i.external_id = call_event.external_id), utm_medium),
       utm_campaign = COALESCE((SELECT i.utm_campaign FROM call_event_import i WHERE i.external_id = call_event.external_id), utm_campaign),
       utm_term = COALESCE((SELECT i.utm_term FROM call_event_import i WHERE i.external_id = call_event.external_id), utm_term),
       utm_content = COALESCE((SELECT i.utm_content FROM call_event_import i WHERE i.external_id = call_event.external_id), utm_content),
       updated_at = :now
 WHERE status = 'pending'
   AND external_id IN (SELECT external_id FROM call_event_import WHERE action = 'update')
