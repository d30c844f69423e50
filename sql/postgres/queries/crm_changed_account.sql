-- Account rows changed since the refresh's watermark: only person accounts carry a person's
-- email and phones; a business account's keys are dropped (live = false).
-- Heroku Connect always sets systemmodstamp; a row without one is never read. The row comparison
-- starts an index range scan at the watermark (an OR of the two columns rescanned the index from
-- its start for every page: 24 s of reads for 2.5M rows).
-- params: :after_ts, :after_id, :limit
-- returns: many
SELECT id, sfid, personemail AS email, phone, personmobilephone AS mobile, lastname,
       (isdeleted = false AND ispersonaccount <> false) AS live, NULL AS leadsync_id, systemmodstamp
FROM account
WHERE (systemmodstamp, id) > (CAST(:after_ts AS timestamp), CAST(:after_id AS bigint))
ORDER BY systemmodstamp, id
LIMIT :limit
