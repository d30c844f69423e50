-- Records a rule's place in its rotation after a batch routed rows with it, in the batch's
-- transaction (a rolled-back batch leaves the place where it was).
-- params: :rule, :team, :next_slot
-- returns: affected
INSERT INTO routing_rotation (rule, team, next_slot) VALUES (:rule, :team, :next_slot)
ON CONFLICT (rule) DO UPDATE SET team = excluded.team, next_slot = excluded.next_slot
