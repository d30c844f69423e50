-- Decides once what an import does with each staged line: 'new' (unknown external id), 'update'
-- (a pending event whose values change) or 'unchanged' (processed events are history; pending
-- ones with the same values need nothing). A column absent from the file keeps the stored value.
-- Differs from PostgreSQL: IS NOT for the NULL-safe compare.
-- params: none
-- returns: affected
UPDATE call_event_import
SET action = COALESCE((
    SELECT CASE
             WHEN c.status = 'pending'
              AND (COALESCE(call_event_import.source, c.source) IS NOT c.source
                  OR COALESCE(call_event_import.channel, c.channel) IS NOT c.channel
                  OR COALESCE(call_event_import.direction, c.direction) IS NOT c.direction
                  OR COALESCE(call_event_import.outcome, c.outcome) IS NOT c.outcome
                  OR COALESCE(call_event_import.started_at, c.started_at) IS NOT c.started_at
                  OR COALESCE(CAST(call_event_import.duration_seconds AS integer), c.duration_seconds) IS NOT c.duration_seconds
                  OR COALESCE(CAST(call_event_import.wait_seconds AS integer), c.wait_seconds) IS NOT c.wait_seconds
                  OR COALESCE(call_event_import.agent_email, c.agent_email) IS NOT c.agent_email
                  OR COALESCE(call_event_import.client_number, c.client_number) IS NOT c.client_number
                  OR COALESCE(call_event_import.line_number, c.line_number) IS NOT c.line_number
                  OR COALESCE(call_event_import.recording_url, c.recording_url) IS NOT c.recording_url
                  OR COALESCE(call_event_import.comments, c.comments) IS NOT c.comments
                  OR COALESCE(call_event_import.tags, c.tags) IS NOT c.tags
                  OR COALESCE(call_event_import.utm_source, c.utm_source) IS NOT c.utm_source
                  OR COALESCE(call_event_import.utm_medium, c.utm_medium) IS NOT c.utm_medium
                  OR COALESCE(call_event_import.utm_campaign, c.utm_campaign) IS NOT c.utm_campaign
                  OR COALESCE(call_event_import.utm_term, c.utm_term) IS NOT c.utm_term
                  OR COALESCE(call_event_import.utm_content, c.utm_content) IS NOT c.utm_content)
             THEN 'update'
             ELSE 'unchanged'
           END
    FROM call_event c
    WHERE c.external_id = call_event_import.external_id), 'new')
