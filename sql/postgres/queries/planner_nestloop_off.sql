-- Until planner_nestloop_on, in this transaction: no nested-loop joins. The catch-up's range of new
-- keys is planned as one row until ANALYZE has seen stamped keys, and a nested loop then
-- probes batch_key 12,000 times (33 ms per batch) where a hash join takes a few ms.
-- params: none
-- returns: none
SET LOCAL enable_nestloop = off
