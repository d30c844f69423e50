-- Account rows changed since the refresh's watermark: only person accounts carry a person's
-- email and phones; a business account's keys are dropped (live = false).
-- Heroku Connect always sets systemmodstamp; a row without one is never read.
-- params: :after_ts, :after_id, :limit
-- returns: many
SELECT id, sfid, personemail AS email, phone, personmobilephone AS mobile, lastname,
       (isdeleted = false AND ispersonaccount <> false) AS live, NULL AS leadsync_id, systemmodstamp
FROM account
WHERE (systemmodstamp > CAST(:after_ts AS timestamp) OR (systemmodstamp = CAST(:after_ts AS timestamp) AND id > :after_id))
ORDER BY systemmodstamp, id
LIMIT :limit
