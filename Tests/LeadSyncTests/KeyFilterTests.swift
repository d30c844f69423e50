import Foundation
import Testing
@testable import LeadSync

/// A large SQLite run probes the key indexes only for the keys its filter of them may hold
/// (KeyFilter). The filter holds every indexed key, tells most others apart, and is built again
/// when a refresh or a merge (another process's too) changes the indexes during the run, so no
/// duplicate is missed.
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

    /// The corpus gives the same outcomes with the filter as without; only the filtered run builds one.
    @Test(arguments: [true, false])
    func theFilteredRunGivesTheSingleRunOutcomes(filter: Bool) throws {
        try withTestDatabase(.sqlite) { t in
            _ = try Corpus.load(into: t)
            let summary = try PendingKeyTests.run(try t.open(), filter: filter)
            #expect(summary.read == 1998)
            #expect(summary.keyFilterBuilds == (filter ? 1 : 0))
            try PipelineTests.expectSingleRunOutcomes(t)
        }
    }

    /// A dry run keeps no filter even when asked to (its refresh is not committed, so the
    /// filter's connection would not see it), and still gives every outcome it would write.
    @Test func aDryRunKeepsNoFilter() throws {
        try withTestDatabase(.sqlite) { t in
            _ = try Corpus.load(into: t)
            var options = SyncOptions(mode: .run)
            options.settleMinutes = 0
            options.dryRun = true
            options.keyFilter = true
            let summary = try SyncJob(db: try t.open(), config: try Configuration.parse(Corpus.config, file: "corpus.toml")).run(options)
            #expect(summary.read == 1998)
            #expect(summary.keyFilterBuilds == 0)
            let expected = try Corpus.records("expected.csv")
            #expect(summary.exported == expected.filter { $0["status"] == "exported" }.count)
            #expect(try t.scalar("SELECT count(*) FROM captured_contact WHERE status <> 'pending'") == "0", "nothing written")
        }
    }

    /// A run left to decide: the corpus's 1998 rows against its few hundred records build one; a
    /// run of a handful against a large CRM does not.
    @Test func theRunWeighsItsRowsAgainstTheRecords() throws {
        #expect(KeyFilter.worthBuilding(rows: 1_000_000, records: 2_500_000))
        #expect(!KeyFilter.worthBuilding(rows: 50, records: 2_500_000))
        #expect(!KeyFilter.worthBuilding(rows: 1_000_000, records: 0))
        #expect(!KeyFilter.worthBuilding(rows: 100_000_000, records: KeyFilter.recordLimit + 1))
        try withTestDatabase(.sqlite) { t in
            _ = try Corpus.load(into: t)
            let summary = try PendingKeyTests.run(try t.open(), filter: nil)
            #expect(summary.read == 1998)
            #expect(summary.keyFilterBuilds == 1)
        }
    }

    /// Another process changes the key indexes after this run built its filter, with a record
    /// whose email a row of the run's second batch has: its refresh keys a new mirror record, or
    /// its batch writes one pending and merges it at once. The run builds its filter again and
    /// fails the row as that record's duplicate.
    @Test(arguments: ["refresh", "merge"])
    func keysIndexedByAnotherProcessDuringTheRunAreFound(change: String) throws {
        try withTestDatabase(.sqlite) { t in
            _ = try Corpus.load(into: t)
            let (row, key, _, _) = try PipelineTests.secondBatchRowWithEmail(t)
            let summary = try PendingKeyTests.run(try t.open(), filter: true) { done, _ in
                guard done == 97 else { return }
                do {
                    let other = try t.open()
                    if change == "refresh" {
                        try t.exec("""
                            INSERT INTO contact (id, sfid, lastname, email, leadsync_id__c, systemmodstamp, isdeleted)
                            VALUES (900001, '003OTHER00000001', 'Other', '\(key)', 'other-process-1', '2999-01-01T00:00:00.000Z', 0)
                            """)
                        let index = CRMKeyIndex(db: other, phones: try PhoneNormalizer(defaultRegion: "DE"))
                        _ = try other.transaction { try index.refresh() }
                    } else {
                        try PendingKeyTests.commitAnotherProcessesBatch(t, email: key)
                        _ = try other.transaction { try CRMKeyIndex.mergePending(on: other) }
                    }
                    let indexed = try t.scalar("SELECT count(*) FROM crm_match_key WHERE email_key = '\(key)' AND crm_id = 900001 AND pending IS NOT 1")
                    #expect(indexed == "1", "the other process's record is in the key indexes")
                } catch {
                    Issue.record("the other process's \(change) failed: \(error)")
                }
            }
            #expect(summary.read == 1998)
            #expect(summary.keyFilterBuilds >= 2, "built again after the other process's \(change)")
            let outcome = try Corpus.outcomes(t)[row]
            #expect(outcome?["status"] == "failed")
            #expect(outcome?["error_code"] == "duplicate_email")
            // A record from Salesforce is named by its sfid, one a batch wrote by its leadsync id.
            #expect(outcome?["duplicate_of"] == (change == "refresh" ? "003OTHER00000001" : "other-process-1"))
        }
    }
}
