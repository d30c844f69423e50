-- Decides once what an import does with each staged line: 'new' (unknown external id), 'update'
-- (a pending event whose values change) or 'unchanged' (processed events are history; pending
-- ones with the same values need nothing). A column absent from the file keeps the stored value.
-- params: none
-- returns: affected
UPDATE call_event_import AS i
SET action = COALESCE((
    SELECT CASE
             WHEN c.status = 'pending'
              AND (COALESCE(i.source, c.source) IS DISTINCT FROM c.source
                  OR COALESCE(i.channel, c.channel) IS DISTINCT FROM c.channel
                  OR COALESCE(i.direction, c.direction) IS DISTINCT FROM c.direction
                  OR COALESCE(i.outcome, c.outcome) IS DISTINCT FROM c.outcome
                  OR COALESCE(CAST(i.started_at AS timestamptz), c.started_at) IS DISTINCT FROM c.started_at
                  OR COALESCE(CAST(i.duration_seconds AS integer), c.duration_seconds) IS DISTINCT FROM c.duration_seconds
                  OR COALESCE(CAST(i.wait_seconds AS integer), c.wait_seconds) IS DISTINCT FROM c.wait_seconds
                  OR COALESCE(i.agent_email, c.agent_email) IS DISTINCT FROM c.agent_email
                  OR COALESCE(i.client_number, c.client_number) IS DISTINCT FROM c.client_number
                  OR COALESCE(i.line_number, c.line_number) IS DISTINCT FROM c.line_number
                  OR COALESCE(i.recording_url, c.recording_url) IS DISTINCT FROM c.recording_url
                  OR COALESCE(i.comments, c.comments) IS DISTINCT FROM c.comments
                  OR COALESCE(i.tags, c.tags) IS DISTINCT FROM c.tags
                  OR COALESCE(i.utm_source, c.utm_source) IS DISTINCT FROM c.utm_source
                  OR COALESCE(i.utm_medium, c.utm_medium) IS DISTINCT FROM c.utm_medium
                  OR COALESCE(i.utm_campaign, c.utm_campaign) IS DISTINCT FROM c.utm_campaign
                  OR COALESCE(i.utm_term, c.utm_term) IS DISTINCT FROM c.utm_term
                  OR COALESCE(i.utm_content, c.utm_content) IS DISTINCT FROM c.utm_content)
             THEN 'update'
             ELSE 'unchanged'
           END
    FROM call_event c
    WHERE c.external_id = i.external_id), 'new')
