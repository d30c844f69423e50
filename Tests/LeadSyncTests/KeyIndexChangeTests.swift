import Foundation
import Synchronization
import Testing
@testable import LeadSync

/// Every write into SQLite's key indexes counts as a change (`batch_clock.keys_changed`, by the
/// triggers of migration 014), which a run's key filter relies on: a refresh, a run of one batch,
/// a merge of pending keys. No writer can leave it out; a batch's pending keys are not indexed
/// and not counted.
@Suite struct KeyIndexChangeTests {
    static func changes(_ t: TestDatabase) throws -> Int {
        Int(try t.scalar("SELECT keys_changed FROM batch_clock") ?? "") ?? -1
    }

    @Test func everyWriterIntoTheIndexesCountsAChange() throws {
        try withTestDatabase(.sqlite) { t in
            var s = Scenario(t)
            s.lead("00Q000000000000001", last: "Alpha", email: "alpha@x.example")
            for i in 0..<6 { s.capture("c\(i)", last: "New\(i)", email: "new\(i)@x.example", minutesAgo: 60 - i) }
            let (db, config) = try s.load()
            var before = try Self.changes(t)
            // The first refresh (a full load) and the run's one batch of new records.
            var options = Scenario.options()
            options.limit = 2
            _ = try SyncJob(db: db, config: config).run(options)
            #expect(try Self.changes(t) > before, "a full load and a batch written into the indexes")
            // A refresh of a changed mirror record.
            before = try Self.changes(t)
            try t.exec("UPDATE lead SET email = 'changed@x.example', systemmodstamp = '2026-11-30T00:00:00' WHERE sfid = '00Q000000000000001'")
            _ = try db.transaction { try CRMKeyIndex(db: db, phones: try PhoneNormalizer(defaultRegion: "DE")).refresh() }
            #expect(try Self.changes(t) > before, "a refresh that keyed a record")
            // A run of several batches: its pending keys are not counted, their merge is.
            before = try Self.changes(t)
            options.limit = nil
            options.batchSize = 1
            let pendingWritten = Mutex(0)
            options.hooks.beforeMatch = { _ in
                pendingWritten.withLock { $0 = max($0, (try? Int(t.scalar("SELECT count(*) FROM crm_match_key WHERE pending = 1") ?? "")) ?? 0) }
            }
            let changesDuring = Mutex<[Int]>([])
            options.progress = { _, _ in changesDuring.withLock { $0.append((try? Self.changes(t)) ?? -1) } }
            _ = try SyncJob(db: db, config: config).run(options)
            #expect(pendingWritten.withLock { $0 } > 0, "the run kept keys pending")
            let during = changesDuring.withLock { $0 }
            #expect(Set(during.dropFirst()).count == 1, "pending keys are not counted: \(during)")
            #expect(try Self.changes(t) > during.last ?? .max, "the merge at the run's end is counted")
        }
    }
}
