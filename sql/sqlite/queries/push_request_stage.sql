-- The external ids given to `push`.
-- params: none
-- returns: none
CREATE TEMP TABLE IF NOT EXISTS push_request (external_id text PRIMARY KEY)
