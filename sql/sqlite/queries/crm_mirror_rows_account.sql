-- How many account rows the mirror holds, its highest id, and how many rows lie above :after_id
-- (the highest id the last prune saw): rows deleted since = rows then + rows above - rows now.
-- params: :after_id
-- returns: one
SELECT count(*) AS mirror_rows, coalesce(max(id), 0) AS mirror_max_id,
       (SELECT count(*) FROM account WHERE id > :after_id) AS rows_above
FROM account
