-- Until planner_nestloop_on, in this transaction: no nested-loop joins. The catch-up's range of new
-- keys is planned as one row until ANALYZE has seen stamped keys, and a nested loop then
-- scans batch_key once per new key: with an index on batch_key 12,000 probes (33 ms per batch,
-- and the index cost every batch's load), where the hash join takes 8-15 ms.
-- params: none
-- returns: none
SET LOCAL enable_nestloop = off
