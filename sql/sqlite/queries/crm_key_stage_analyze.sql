-- Gives the planner the staged chunk's real size (temporary tables have no statistics).
-- params: none
-- returns: none
ANALYZE temp.crm_key_stage
