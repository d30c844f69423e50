-- How many rows a run or backfill will take, for its progress line.
-- params: :cutoff, :since, :until
-- returns: one
SELECT count(*) AS eligible
FROM captured_contact c
WHERE c.status = 'pending'
  AND c.captured_at <= CAST(:cutoff AS timestamptz)
  AND c.captured_at >= COALESCE(CAST(:since AS timestamptz), '-infinity')
  AND c.captured_at <  COALESCE(CAST(:until AS timestamptz), 'infinity')
