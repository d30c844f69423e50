-- The floor on SQLite (see floor_postgres.sql): insert every pending captured contact as a lead,
-- then mark it exported, and commit, with the job's settings (WAL, synchronous = NORMAL): the
-- commit's automatic checkpoint writes the pages into the database file, as the job's commits do.
-- (Rolled back, as the bench did until 2026-12-02, SQLite discards the transaction's pages from
-- its log and the database file is never written.)
PRAGMA synchronous = NORMAL;
BEGIN;
INSERT INTO lead (firstname, lastname, company, email, phone, mobilephone, city, country, description, leadsource,
                  ownerid, leadsync_id__c, _hc_lastop, isdeleted, createddate, systemmodstamp)
SELECT first_name, last_name, company, email, phone, mobile, city, country, notes, source,
       '005999999999999999', external_id, 'PENDING', 0, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
FROM captured_contact WHERE status = 'pending';
UPDATE captured_contact SET status = 'exported', exported_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE status = 'pending';
COMMIT;
