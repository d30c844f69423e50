-- Gives the planner its nested-loop joins back after the catch-up (planner_nestloop_off).
-- params: none
-- returns: none
SET LOCAL enable_nestloop = on
