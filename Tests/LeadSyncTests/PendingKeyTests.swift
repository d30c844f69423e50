import Foundation
import Synchronization
import Testing
@testable import LeadSync

/// A SQLite run of several batches writes its new keys as pending, out of the key indexes, finds
/// them through its PendingKeyIndex, and merges them once the run ends or the index is full
/// (migration 012); a run of one batch writes them into the indexes. Every duplicate is still
/// caught: of an earlier batch, of another process's batch, of a run that stopped before its merge.
@Suite struct PendingKeyTests {
    /// Records whose keys are still pending (SQLite; PostgreSQL has no such column).
    static func pendingCount(_ t: TestDatabase) throws -> String? {
        try t.scalar("SELECT count(*) FROM crm_match_key WHERE pending = 1")
    }

    /// Commits what another process's SQLite batch of a run of several writes for one new record
    /// with `email` (contact 900001, leadsync id `other-process-1`): the mirror row, its keys
    /// pending, stamped with the next value of the batch clock.
    static func commitAnotherProcessesBatch(_ t: TestDatabase, email: String) throws {
        try t.exec("""
            BEGIN IMMEDIATE;
            UPDATE batch_clock SET seq = seq + 1 WHERE id = 1;
            INSERT INTO contact (id, sfid, lastname, email, leadsync_id__c) VALUES (900001, NULL, 'Other', '\(email)', 'other-process-1');
            INSERT INTO crm_match_key (crm_object, crm_id, leadsync_id, email_key, lastname_key, priority, batch_seq, pending)
                VALUES ('contact', 900001, 'other-process-1', '\(email)', 'other', 1, (SELECT seq FROM batch_clock WHERE id = 1), 1);
            COMMIT;
            """)
    }

    /// A run of the corpus in batches of 97 with `limit` pending keys before a merge, and its key
    /// filter forced on or off (`filter`; nil: as a run decides); `configure` sets hooks.
    static func run(_ db: any Database, limit: Int = PendingKeyIndex.defaultLimit, filter: Bool? = nil,
                    configure: (inout SyncOptions) -> Void = { _ in }) throws -> SyncSummary {
        try CorpusRun.run(db, batchSize: 97) { options in
            options.pendingKeyLimit = limit
            options.keyFilter = filter
            configure(&options)
        }
    }

    /// The corpus's duplicates of records an earlier batch of the run created are found while
    /// those records' keys are pending, whether they are merged only at the end (the default
    /// limit) or after every batch (a limit of one key); none is left pending.
    @Test(arguments: [PendingKeyIndex.defaultLimit, 1])
    func pendingKeysGiveTheSingleRunOutcomes(limit: Int) throws {
        try withTestDatabase(.sqlite) { t in
            _ = try Corpus.load(into: t)
            let pendingDuringRun = Mutex<[Int]>([])
            let summary = try Self.run(try t.open(), limit: limit) { options in
                options.progress = { _, _ in
                    let pending = (try? Self.pendingCount(t)).flatMap { $0 }.flatMap { Int($0) } ?? -1
                    pendingDuringRun.withLock { $0.append(pending) }
                }
            }
            #expect(summary.read == 1998)
            try CorpusRun.expectSingleRunOutcomes(t)
            #expect(try Self.pendingCount(t) == "0", "the run merged its pending keys")
            let seen = pendingDuringRun.withLock { $0 }
            // The first batch writes its keys into the indexes; from the second on they are
            // pending. The index learns a batch's keys when a later batch's match reads them, so
            // a merge comes a batch or two after the limit is reached: with one key, many times.
            #expect(seen.first == 0, "a run's first batch keeps no key pending: \(seen)")
            let merges = zip(seen, seen.dropFirst()).filter { $1 < $0 }.count
            if limit == 1 {
                #expect(merges >= 5, "merged between batches: \(seen)")
            } else {
                #expect(merges == 0 && seen.last ?? 0 > 500, "pending until the end: \(seen)")
            }
        }
    }

    /// Another process's batch commits a record with the email of a row of this run's second
    /// batch, its keys pending, after this run's first batch and before its second: this run reads
    /// them and fails the row. With one batch or several, as a run of one batch reads them too.
    @Test(arguments: [97, 2000])
    func anotherProcessesPendingKeysAreFound(batchSize: Int) throws {
        try withTestDatabase(.sqlite) { t in
            _ = try Corpus.load(into: t)
            let (row, key) = try CorpusRun.exportedRowWithEmail(t, batch: 1)
            let committed = Mutex(false)
            let summary = try CorpusRun.run(try t.open(), batchSize: batchSize) { options in
                // Before this run's first match when it has one batch; else before its second.
                let hook: @Sendable () -> Void = {
                    guard !committed.withLock({ $0 }) else { return }
                    do {
                        try Self.commitAnotherProcessesBatch(t, email: key)
                        committed.withLock { $0 = true }
                    } catch {
                        Issue.record("the other process's batch failed: \(error)")
                    }
                }
                if batchSize > 1998 { options.hooks.beforeRun = hook } else { options.hooks.claimedAhead = { _, _ in hook() } }
            }
            #expect(committed.withLock { $0 })
            #expect(summary.read == 1998)
            let outcome = try Corpus.outcomes(t)[row]
            #expect(outcome?["status"] == "failed")
            #expect(outcome?["error_code"] == "duplicate_email")
            #expect(outcome?["duplicate_of"] == "other-process-1")
            if batchSize < 1998 { #expect(try Self.pendingCount(t) == "0", "this run merged the other process's pending keys too") }
        }
    }

    /// A run that stopped before its merge leaves its keys pending: the next run merges them
    /// first, and still finds them.
    @Test func keysLeftPendingByAStoppedRunAreMergedAndFound() throws {
        try withTestDatabase(.sqlite) { t in
            let config = try Corpus.load(into: t)
            let first = try CLI.run(["run", "--settle-minutes", "0", "--limit", "50", "--database", t.url, "--config", config,
                                     "--report-dir", t.directory.appendingPathComponent("reports").path])
            #expect(first.status == 0, "\(first.stderr)")
            // As if the run had been killed after its batches committed, before its merge.
            try t.exec("UPDATE crm_match_key SET pending = 1 WHERE leadsync_id IS NOT NULL")
            let left = try #require(Int(try t.scalar("SELECT count(*) FROM crm_match_key WHERE pending = 1") ?? ""))
            #expect(left > 10)
            // A new captured contact with the email of one of those records.
            let email = try #require(try t.scalar("SELECT email_key FROM crm_match_key WHERE pending = 1 AND email_key IS NOT NULL LIMIT 1"))
            try t.exec("""
                INSERT INTO captured_contact (external_id, source, captured_by, captured_at, first_name, last_name, company, email)
                VALUES ('again-1', 'csv', 'nobody@x.example', '2000-01-01T00:00:00Z', 'Again', 'Again', 'Again GmbH', '\(email)')
                """)
            let second = try CLI.run(["run", "--settle-minutes", "0", "--limit", "1", "--database", t.url, "--config", config,
                                      "--report-dir", t.directory.appendingPathComponent("reports").path])
            #expect(second.status == 0, "\(second.stderr)")
            #expect(try t.scalar("SELECT error_code FROM captured_contact WHERE external_id = 'again-1'") == "duplicate_email")
            #expect(try Self.pendingCount(t) == "0")
        }
    }

    /// Many pending keys against few records are folded into the main indexes, all six key
    /// indexes dropped and built again: they come back as the migrations made them, and hold the
    /// merged keys.
    @Test func aLargeMergeRebuildsTheKeyIndexesAsMigrated() throws {
        try withTestDatabase(.sqlite) { t in
            let db = try t.migrated()
            let indexes = "SELECT name || ': ' || sql AS def FROM sqlite_master WHERE type = 'index' AND tbl_name = 'crm_match_key' ORDER BY name"
            let migrated = try t.rawRows(indexes).compactMap { $0.string("def") }
            try t.exec("""
                INSERT INTO crm_match_key (crm_object, crm_id, email_key, phone_key, lastname_key, priority, batch_seq, pending) VALUES
                    ('lead', 1, 'a@x.example', '+49301', 'a', 2, 1, 1), ('lead', 2, 'b@x.example', NULL, 'b', 2, 1, NULL),
                    ('lead', 3, NULL, '+49303', 'c', 2, 2, 1);
                """)
            let merged = try db.transaction { try PendingKeys.merge(on: db, rebuildAt: 1) }
            #expect(merged != nil)
            #expect(try Self.pendingCount(t) == "0")
            #expect(try t.rawRows(indexes).compactMap { $0.string("def") } == migrated)
            #expect(try t.scalar("SELECT group_concat(crm_id) FROM crm_match_key INDEXED BY crm_match_key_phone_idx WHERE phone_key = '+49303' AND pending IS NULL") == "3")
            #expect(try t.scalar("SELECT count(*) FROM crm_match_key WHERE pending IS NOT NULL") == "0", "folded: no recent level left")
            #expect(try db.transaction { try PendingKeys.merge(on: db, rebuildAt: 1) } == nil, "nothing left to merge")
        }
    }

    /// Pending keys go into the recent level (migration 013): one by one when few, by building
    /// its three indexes again when many (here 40 of 240 records, `rebuildAt` 30), and both
    /// levels are folded into the main indexes once the recent one would hold half the records.
    /// Each way the indexes are as migrated and find the keys; each counts a change for the
    /// runs' filters.
    @Test func pendingKeysGoIntoTheRecentLevelUntilItIsHalfTheRecords() throws {
        try withTestDatabase(.sqlite) { t in
            let db = try t.migrated()
            let indexes = "SELECT name || ': ' || sql AS def FROM sqlite_master WHERE type = 'index' AND tbl_name = 'crm_match_key' ORDER BY name"
            let migrated = try t.rawRows(indexes).compactMap { $0.string("def") }
            func add(_ from: Int, _ to: Int, pending: String) throws {
                try t.exec("""
                    WITH RECURSIVE n(i) AS (SELECT \(from) UNION ALL SELECT i + 1 FROM n WHERE i < \(to))
                    INSERT INTO crm_match_key (crm_object, crm_id, email_key, phone_key, lastname_key, priority, batch_seq, pending)
                    SELECT 'lead', i, 'r' || i || '@x.example', '+4930' || (1000000 + i), 'l', 2, 1, \(pending) FROM n
                    """)
            }
            func level(_ id: Int) throws -> String? {
                try t.scalar("SELECT coalesce(pending, 'main') FROM crm_match_key WHERE crm_id = \(id)")
            }
            // Each merge counts as a change for the runs' filters (the triggers of migration 014).
            var counted = try KeyIndexChangeTests.changes(t)
            func changes() throws -> String? {
                let now = try KeyIndexChangeTests.changes(t)
                defer { counted = now }
                return now > counted ? "counted" : "not counted"
            }
            try add(1, 200, pending: "NULL")
            // Few: moved one by one.
            try add(201, 210, pending: "1")
            _ = try changes()
            _ = try db.transaction { try PendingKeys.merge(on: db, rebuildAt: 30) }
            #expect(try level(205) == "2")
            #expect(try changes() == "counted")
            // Many: the recent level built again.
            try add(211, 250, pending: "1")
            _ = try changes()
            _ = try db.transaction { try PendingKeys.merge(on: db, rebuildAt: 30) }
            #expect(try level(205) == "2" && level(240) == "2" && level(100) == "main")
            #expect(try t.rawRows(indexes).compactMap { $0.string("def") } == migrated)
            #expect(try t.scalar("SELECT crm_id FROM crm_match_key INDEXED BY crm_match_key_recent_email_idx WHERE email_key = 'r240@x.example' AND pending = 2") == "240")
            #expect(try t.scalar("SELECT crm_id FROM crm_match_key INDEXED BY crm_match_key_recent_phone_idx WHERE phone_key = '+49301000245' AND pending = 2") == "245")
            #expect(try changes() == "counted")
            // The recent level would hold more than half the records: everything folded.
            try add(251, 410, pending: "1")
            _ = try changes()
            _ = try db.transaction { try PendingKeys.merge(on: db, rebuildAt: 30) }
            #expect(try t.scalar("SELECT count(*) FROM crm_match_key WHERE pending IS NOT NULL") == "0")
            #expect(try t.rawRows(indexes).compactMap { $0.string("def") } == migrated)
            #expect(try t.scalar("SELECT crm_id FROM crm_match_key INDEXED BY crm_match_key_email_idx WHERE email_key = 'r240@x.example' AND pending IS NULL") == "240")
            #expect(try changes() == "counted")
        }
    }

    /// A call batch writes its new records' keys into the recent level at once (the calls'
    /// match reads the key index alone, in SQL): the next run's call from the same number, typed
    /// another way, finds the record there.
    @Test func aCallBatchsNewRecordsKeysGoIntoTheRecentLevelAndAreFound() throws {
        try withTestDatabase(.sqlite) { t in
            let (db, config) = try CallRuleTests.twoCallsFromOneNewNumber(t).load()
            _ = try CallScenario.run(db, config) { $0.limit = 1 }
            #expect(try t.scalar("SELECT group_concat(crm_object || ':' || coalesce(pending, 'main')) FROM crm_match_key WHERE leadsync_id = 'call:first'") == "lead:2")
            #expect(try CallScenario.events(t)["second"]?.status == "pending", "the first run took the first call alone")
            _ = try CallScenario.run(db, config)
            let e = try CallScenario.events(t)
            #expect(e["second"]?.recordID != nil)
            #expect(e["first"]?.recordID == e["second"]?.recordID, "the second call finds the lead in the recent level")
            #expect(try t.scalar("SELECT count(*) FROM lead") == "1")
        }
    }

    /// A call finds a record whose keys another process's contacts batch left pending (that run
    /// merges them only at its end): the call's batch, matched ahead before that batch committed,
    /// reads the pending keys under the write lock, as a contacts batch does, and is matched
    /// again with them, rather than creating a second lead for the number.
    @Test func aCallFindsARecordWhoseKeysAnotherRunLeftPending() throws {
        try withTestDatabase(.sqlite) { t in
            var s = CallScenario(t)
            s.calls += "unknown_number = \"lead\"\n"
            s.call("first", at: "2026-03-16T10:00:00Z", number: "+49 30 7654321")
            s.call("second", "outbound", "unanswered", at: "2026-03-16T10:30:00Z", duration: 0, number: "+49 40 5551234")
            let (db, config) = try s.load()
            let otherWriter = try CallScenario.runWithAnotherWriter(db, config) {
                try t.exec("""
                    BEGIN IMMEDIATE;
                    UPDATE batch_clock SET seq = seq + 1 WHERE id = 1;
                    INSERT INTO lead (id, sfid, lastname, company, phone, leadsync_id__c, isconverted, isdeleted)
                        VALUES (900001, NULL, 'Other', 'Firm', '040 5551234', 'other-process-1', 0, 0);
                    INSERT INTO crm_match_key (crm_object, crm_id, leadsync_id, phone_key, lastname_key, priority, batch_seq, pending)
                        VALUES ('lead', 900001, 'other-process-1', '+49405551234', 'other', 2, (SELECT seq FROM batch_clock WHERE id = 1), 1);
                    COMMIT;
                    """)
            }
            #expect(otherWriter == ["done"], "the other process committed its batch's pending key")
            let e = try CallScenario.events(t)
            #expect(e["second"]?.recordID == 900001, "the second call finds the other process's lead by its pending key")
            #expect(try t.scalar("SELECT count(*) FROM lead") == "2", "the first call's lead and the other process's")
        }
    }

    /// A recent level that call batches grew, with nothing pending, is folded into the main
    /// indexes by a run's start (`PendingKeys.merge`) once it holds half the records, and left
    /// as it is before.
    @Test func aRecentLevelGrownByCallsIsFoldedOnceItIsHalfTheRecords() throws {
        try withTestDatabase(.sqlite) { t in
            let db = try t.migrated()
            func add(_ from: Int, _ to: Int, pending: String) throws {
                try t.exec("""
                    WITH RECURSIVE n(i) AS (SELECT \(from) UNION ALL SELECT i + 1 FROM n WHERE i < \(to))
                    INSERT INTO crm_match_key (crm_object, crm_id, phone_key, lastname_key, priority, pending)
                    SELECT 'contact', i, '+4930' || (1000000 + i), 'l', 1, \(pending) FROM n
                    """)
            }
            try add(1, 200, pending: "NULL")
            try add(201, 380, pending: "2")
            #expect(try db.transaction { try PendingKeys.merge(on: db, rebuildAt: 30) } == nil, "180 of 380 records: not yet half")
            #expect(try t.scalar("SELECT count(*) FROM crm_match_key WHERE pending = 2") == "180")
            try add(381, 420, pending: "2")
            #expect(try db.transaction { try PendingKeys.merge(on: db, rebuildAt: 30) } != nil, "220 of 420 records: folded")
            #expect(try t.scalar("SELECT count(*) FROM crm_match_key WHERE pending IS NOT NULL") == "0")
            #expect(try t.scalar("SELECT crm_id FROM crm_match_key INDEXED BY crm_match_key_phone_idx WHERE phone_key = '+49301000400' AND pending IS NULL") == "400")
        }
    }

    /// A run's keys merged into the recent level are found by a later run, with its key filter
    /// and without: the duplicate row is the last of that run's batches, and with a filter it is
    /// matched once the filter is built.
    @Test(arguments: [true, false])
    func keysInTheRecentLevelAreFoundByTheNextRun(filter: Bool) throws {
        try withTestDatabase(.sqlite) { t in
            _ = try Corpus.load(into: t)
            _ = try CorpusRun.run(try t.open(), batchSize: 97, limit: 300)
            let email = try #require(try t.scalar("SELECT email_key FROM crm_match_key WHERE pending = 2 AND email_key IS NOT NULL LIMIT 1"))
            try t.exec("""
                INSERT INTO captured_contact (external_id, source, captured_by, captured_at, first_name, last_name, company, email)
                VALUES ('again-1', 'csv', 'nobody@x.example', '2026-12-01T00:00:00Z', 'Again', 'Again', 'Again GmbH', '\(email)')
                """)
            let built = DispatchSemaphore(value: 0)
            let last = try #require(Int64(try t.scalar("SELECT id FROM captured_contact WHERE external_id = 'again-1'") ?? ""))
            _ = try PendingKeyTests.run(try t.open(), filter: filter) { options in
                options.hooks.keyFilterBuilt = { built.signal() }
                options.hooks.claimedAhead = { _, lastID in if filter && lastID == last { built.wait() } }
            }
            #expect(try t.scalar("SELECT error_code FROM captured_contact WHERE external_id = 'again-1'") == "duplicate_email")
        }
    }

    /// The index finds every pending record by each of its keys as it grows (tens of thousands of
    /// keys, several doublings), reads only keys stamped after what it has read, and forgets
    /// what a merge took.
    @Test func theIndexFindsEveryKeyItRead() throws {
        try withTestDatabase(.sqlite) { t in
            let db = try t.migrated()
            try t.exec("""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
                INSERT INTO crm_match_key (crm_object, crm_id, email_key, phone_key, phone2_key, lastname_key, priority, batch_seq, pending)
                SELECT 'lead', i, 'p' || i || '@x.example', '+4930' || (1000000 + i), CASE WHEN i % 3 = 0 THEN '+49171' || i END, 'l', 2,
                       i / 1000 + 1, CASE WHEN i % 10 = 0 THEN NULL ELSE 1 END
                FROM n
                """)
            let index = PendingKeyIndex()
            try index.refresh(on: db)
            let rows = try t.rawRows("SELECT rowid AS rid, crm_id, email_key, phone_key, phone2_key, pending FROM crm_match_key")
            var missing = 0, extra = 0
            for row in rows {
                let rid = try #require(row["rid"].intValue)
                for key in [row.string("email_key"), row.string("phone_key"), row.string("phone2_key")].compactMap({ $0 }) {
                    let found = index.records(for: key)
                    if row["pending"] == .null { extra += found.filter { $0 == rid }.count } else if !found.contains(rid) { missing += 1 }
                }
            }
            #expect(missing == 0)
            #expect(extra == 0, "keys that are not pending are not read")
            // Keys committed later are read by the next refresh, those read before are not read twice.
            try t.exec("INSERT INTO crm_match_key (crm_object, crm_id, email_key, lastname_key, priority, batch_seq, pending) VALUES ('lead', 30001, 'late@x.example', 'l', 2, 99, 1)")
            try index.refresh(on: db)
            #expect(index.records(for: "late@x.example").count == 1)
            #expect(index.records(for: "p1@x.example").count == 1)
            index.reset(merged: 99)
            #expect(index.records(for: "late@x.example").isEmpty)
            try index.refresh(on: db)
            #expect(index.records(for: "late@x.example").isEmpty, "stamped at or below the merge")
        }
    }
}
