import Foundation
import Logging
import Synchronization
import Testing
@testable import LeadSync

/// A large SQLite run probes the key indexes only for the keys its filter of them may hold
/// (KeyFilter). The filter holds every indexed key, tells most others apart, and is not trusted
/// once anything (another process's refresh, batch or merge too) wrote into the indexes after it
/// was built, so no duplicate is missed.
@Suite struct KeyFilterTests {
    /// Every key in the indexes (the main and the recent level) is held; a pending key and 20,000
    /// keys in no index mostly not (each a needless probe at most).
    @Test func theFilterHoldsEveryIndexedKey() throws {
        try withTestDatabase(.sqlite) { t in
            let db = try t.migrated()
            try t.exec("""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30000)
                INSERT INTO crm_match_key (crm_object, crm_id, email_key, phone_key, phone2_key, lastname_key, priority, batch_seq, pending)
                SELECT 'lead', i, 'k' || i || '@x.example', CASE WHEN i % 4 > 0 THEN '+4930' || (1000000 + i) END,
                       CASE WHEN i % 3 = 0 THEN '+49171' || i END, 'l', 2, NULL, CASE WHEN i % 100 = 0 THEN 1 WHEN i % 7 = 0 THEN 2 END
                FROM n
                """)
            let bits = try db.transaction { try KeyFilter.build(stamp: 0, on: db) }
            let rows = try t.rawRows("SELECT email_key, phone_key, phone2_key, pending FROM crm_match_key")
            var missing = 0, pendingHeld = 0, pendingKeys = 0
            for row in rows {
                for key in [row.string("email_key"), row.string("phone_key"), row.string("phone2_key")].compactMap({ $0 }) {
                    let held = bits.mayContain(PendingKeyIndex.hash(key))
                    if row["pending"] != .integer(1) {
                        if !held { missing += 1 }
                    } else {
                        pendingKeys += 1
                        if held { pendingHeld += 1 }
                    }
                }
            }
            #expect(missing == 0)
            #expect(pendingKeys >= 300 && pendingHeld * 100 <= pendingKeys, "\(pendingHeld) of \(pendingKeys) pending keys held")
            let absent = (1...20000).filter { bits.mayContain(PendingKeyIndex.hash("absent\($0)@y.example")) }.count
            #expect(absent <= 100, "\(absent) of 20,000 absent keys held")
        }
    }

    /// Keys that differ in a digit or two (phone numbers, numbered addresses) get hashes that
    /// differ all over: none the same, and each bit set in about half of them (the filter and
    /// the pending index take their top and low bits).
    @Test func similarKeysHashApart() {
        let keys = (0..<100_000).flatMap { ["+4930\(1_000_000 + $0)", "p\($0)@x.example"] } + ["", "a", "ab", "abcdefgh", "abcdefghi"]
        let hashes = keys.map { PendingKeyIndex.hash($0) }
        #expect(Set(hashes).count == keys.count)
        for bit in 0..<64 {
            let set = hashes.filter { $0 >> UInt64(bit) & 1 == 1 }.count
            #expect(abs(set - hashes.count / 2) < hashes.count / 50, "bit \(bit) set in \(set) of \(hashes.count)")
        }
    }

    /// The corpus gives the same outcomes with the filter as without, and a run of several
    /// batches left to decide builds one (its 1,998 rows against a few hundred records).
    @Test(arguments: [true, false, nil] as [Bool?])
    func theFilteredRunGivesTheSingleRunOutcomes(filter: Bool?) throws {
        try withTestDatabase(.sqlite) { t in
            _ = try Corpus.load(into: t)
            let builds = Mutex(0)
            let summary = try PendingKeyTests.run(try t.open(), filter: filter) { options in
                options.hooks.keyFilterBuilt = { builds.withLock { $0 += 1 } }
            }
            #expect(summary.read == 1998)
            #expect((builds.withLock { $0 } > 0) == (filter ?? true))
            try CorpusRun.expectSingleRunOutcomes(t)
        }
    }

    /// A dry run keeps no filter even when asked to (its refresh is not committed, so the
    /// filter's connection would not see it), and still gives every outcome it would write.
    @Test func aDryRunKeepsNoFilter() throws {
        try withTestDatabase(.sqlite) { t in
            _ = try Corpus.load(into: t)
            let builds = Mutex(0)
            let summary = try CorpusRun.run(try t.open(), batchSize: 97) { options in
                options.dryRun = true
                options.keyFilter = true
                options.hooks.keyFilterBuilt = { builds.withLock { $0 += 1 } }
            }
            #expect(summary.read == 1998)
            #expect(builds.withLock { $0 } == 0)
            let expected = try Corpus.records("expected.csv")
            #expect(summary.exported == expected.filter { $0["status"] == "exported" }.count)
            #expect(try t.scalar("SELECT count(*) FROM captured_contact WHERE status <> 'pending'") == "0", "nothing written")
        }
    }

    /// The filter's build counts in the run's phase times (`keys.filter`), which the run logs.
    @Test func theFiltersBuildIsInTheRunsPhaseTimes() throws {
        try withTestDatabase(.sqlite) { t in
            let db = try t.migrated()
            let times = PhaseTimes()
            let lookup = SQLiteKeyLookup(filter: true, times: times, logger: Logger(label: "test")) { try? t.open() }
            try lookup.manyBatches(rows: { 1000 }, on: db)
            try lookup.finishRun(on: db)
            #expect(times.seconds["keys.filter"] != nil)
        }
    }

    /// What a run weighs: a million rows against a large CRM pay for a filter, a handful do not.
    @Test func theRunWeighsItsRowsAgainstTheRecords() {
        #expect(KeyFilter.worthBuilding(rows: 1_000_000, records: 2_500_000))
        #expect(!KeyFilter.worthBuilding(rows: 50, records: 2_500_000))
        #expect(!KeyFilter.worthBuilding(rows: 1_000_000, records: 0))
        #expect(!KeyFilter.worthBuilding(rows: 100_000_000, records: KeyFilter.recordLimit + 1))
    }

    /// Another process changes the key indexes after this run built its filter, with a record
    /// whose email a row of the run's sixth batch has: its refresh keys a new mirror record, its
    /// run of one batch writes one into the indexes, or its batch writes one pending and merges
    /// it. The change is made once the filter is built, after the sixth batch was claimed and
    /// before it is matched (the run waits for the hook). The run must not trust its filter, and
    /// fails the row as that record's duplicate.
    @Test(arguments: ["refresh", "batch", "merge"])
    func keysIndexedByAnotherProcessDuringTheRunAreFound(change: String) throws {
        try withTestDatabase(.sqlite) { t in
            _ = try Corpus.load(into: t)
            let (row, key) = try CorpusRun.exportedRowWithEmail(t, batch: 5)
            let rowID = try #require(Int64(try t.scalar("SELECT id FROM captured_contact WHERE external_id = '\(row)'") ?? ""))
            let built = DispatchSemaphore(value: 0)
            let changed = Mutex(false)
            let summary = try PendingKeyTests.run(try t.open(), filter: true) { options in
                options.hooks.keyFilterBuilt = { built.signal() }
                options.hooks.claimedAhead = { first, last in
                    guard (first...last).contains(rowID) else { return }
                    built.wait()
                    do {
                        try Self.indexAnotherProcessesRecord(t, email: key, by: change)
                        changed.withLock { $0 = true }
                    } catch {
                        Issue.record("the other process's \(change) failed: \(error)")
                    }
                }
            }
            #expect(changed.withLock { $0 })
            #expect(summary.read == 1998)
            let outcome = try Corpus.outcomes(t)[row]
            #expect(outcome?["status"] == "failed")
            #expect(outcome?["error_code"] == "duplicate_email")
            // A record from Salesforce is named by its sfid, one a batch wrote by its leadsync id.
            #expect(outcome?["duplicate_of"] == (change == "refresh" ? "003OTHER00000001" : "other-process-1"))
        }
    }

    /// Puts contact 900001 with `email` into the key indexes as another process would `by`: its
    /// refresh of a record new in the mirror, its run of one batch, or its pending keys merged.
    static func indexAnotherProcessesRecord(_ t: TestDatabase, email: String, by change: String) throws {
        let other = try t.open()
        switch change {
        case "refresh":
            try t.exec("""
                INSERT INTO contact (id, sfid, lastname, email, leadsync_id__c, systemmodstamp, isdeleted)
                VALUES (900001, '003OTHER00000001', 'Other', '\(email)', 'other-process-1', '2999-01-01T00:00:00.000Z', 0)
                """)
            let index = CRMKeyIndex(db: other, phones: try PhoneNormalizer(defaultRegion: "DE"))
            _ = try other.transaction { try index.refresh() }
        case "batch":
            try t.exec("""
                BEGIN IMMEDIATE;
                INSERT INTO contact (id, sfid, lastname, email, leadsync_id__c) VALUES (900001, NULL, 'Other', '\(email)', 'other-process-1');
                INSERT INTO crm_match_key (crm_object, crm_id, leadsync_id, email_key, lastname_key, priority)
                    VALUES ('contact', 900001, 'other-process-1', '\(email)', 'other', 1);
                COMMIT;
                """)
        default:
            try PendingKeyTests.commitAnotherProcessesBatch(t, email: email)
            _ = try other.transaction { try PendingKeys.merge(on: other) }
        }
        let indexed = try t.scalar("SELECT count(*) FROM crm_match_key WHERE email_key = '\(email)' AND crm_id = 900001 AND pending IS NOT 1")
        #expect(indexed == "1", "the other process's record is in the key indexes")
    }
}
