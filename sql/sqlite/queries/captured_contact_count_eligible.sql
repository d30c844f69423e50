-- How many rows a run or backfill will take, for its progress line.
-- params: :cutoff, :since, :until
-- returns: one
SELECT count(*) AS eligible
FROM captured_contact c
WHERE c.status = 'pending'
  AND c.captured_at <= :cutoff
  AND c.captured_at >= COALESCE(:since, '')
  AND c.captured_at <  COALESCE(:until, '9999')
