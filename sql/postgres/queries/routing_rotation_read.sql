-- Each routing rule's place in its rotation (SYNC_RULES.md §11), read by a batch under the batch
-- lock: the slot the next routed row starts looking at, and the team it was kept for.
-- params: none
-- returns: many
SELECT rule, team, next_slot FROM routing_rotation
