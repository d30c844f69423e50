-- keys_changed counts the changes to the key indexes' contents other than a batch's pending keys:
-- a refresh that keyed records (a full load included) and a merge of pending keys each add one,
-- in their transaction. A run that matches many rows keeps a filter of the indexed keys in
-- memory (KeyFilter) and probes the indexes only for the keys the filter may hold; it reads this
-- count with the batch clock, in each match's snapshot, and builds the filter again when the
-- count has moved past the one it was built at. A batch's pending keys need no count: the run's
-- PendingKeyIndex finds them.
-- Differs from PostgreSQL, where batches write their keys into the indexes and no filter is
-- kept: there this migration does nothing.
ALTER TABLE batch_clock ADD COLUMN keys_changed integer NOT NULL DEFAULT 0;
