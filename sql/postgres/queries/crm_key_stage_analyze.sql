-- Gives the planner the staged chunk's real size: temporary tables are never auto-analyzed,
-- and a join planned on a guess turned the key replacement into a nested loop over
-- crm_match_key (minutes instead of milliseconds at 250k CRM rows).
-- params: none
-- returns: none
ANALYZE crm_key_stage
