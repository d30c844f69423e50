-- Claims the next batch of eligible rows (SYNC_RULES.md §1) in processing order, with the
-- mirror row already carrying the row's external id, if any, and the row's status and updated_at
-- as claimed, which the outcome write checks (captured_contact_write_outcome).
-- Differs from PostgreSQL: no FOR UPDATE SKIP LOCKED; the batch runs under BEGIN IMMEDIATE,
-- which holds SQLite's single write lock, so no other process can claim the same rows. A claim
-- ahead (ClaimAhead) reads a snapshot in which the batch being written is still pending: it
-- passes that batch's last row as :after_captured_at, :after_id (NULL otherwise); a row another
-- writer changes before the batch's turn makes the batch's outcome write fail its check, and the
-- batch is claimed again. The cursor is also the index range's lower bound (max with :since):
-- SQLite seeks with one lower bound per column (see call_event_claim).
-- params: :cutoff, :since, :until, :after_captured_at, :after_id, :limit
-- returns: many
SELECT c.id, c.external_id, c.source, c.captured_at, c.captured_by, c.assigned_to, c.target_object, c.salutation, c.first_name, c.last_name, c.title,
       c.department, c.company, c.email, c.phone, c.mobile, c.website, c.street, c.postal_code, c.city, c.country, c.notes,
       c.custom_fields, c.attempts, c.status, c.updated_at,
       (SELECT l.id FROM lead l WHERE l.leadsync_id__c = c.external_id) AS existing_lead_id,
       (SELECT m.id FROM contact m WHERE m.leadsync_id__c = c.external_id) AS existing_contact_id
FROM captured_contact c
WHERE c.status = 'pending'
  AND c.captured_at <= :cutoff
  AND c.captured_at >= max(COALESCE(:since, ''), COALESCE(:after_captured_at, ''))
  AND c.captured_at <  COALESCE(:until, '9999')
  AND (c.captured_at, c.id) > (COALESCE(:after_captured_at, ''), COALESCE(:after_id, 0))
ORDER BY c.captured_at, c.id
LIMIT :limit
