-- Differs from SQLite: PostgreSQL keeps no filter of indexed keys (see migration 013), so there is
-- nothing to count; not called here.
-- params: none
-- returns: affected
UPDATE batch_clock SET seq = seq WHERE false
