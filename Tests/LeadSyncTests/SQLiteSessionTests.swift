import Foundation
import Testing
@testable import LeadSync

/// How the job sets SQLite up: per process, per session, and while it builds indexes.
@Suite struct SQLiteSessionTests {
    /// COPY's text format, byte by byte (HostileInputTests loads such values through a real
    /// server and reads them back unchanged).
    /// SQLite's process-wide set-up must run before any connection opens, or SQLite refuses it
    /// (SQLITE_MISUSE) and a batch's outcome UPDATE journals to a temporary file again.
    @Test func sqliteProcessSetupTakesEffect() throws {
        try withTestDatabase(.sqlite) { t in
            _ = try t.open()
            #expect(SQLiteConnection.processSetup == 0)
        }
    }

    /// A SQLite session checkpoints its log every 20,000 pages, not SQLite's default 1,000
    /// (scattered keys dirty a page of each key index per new record; see SQLiteConnection).
    @Test func sqliteSessionCheckpointsEvery20000Pages() throws {
        try withTestDatabase(.sqlite) { t in
            let db = try t.open()
            #expect(try TestQueries.run("PRAGMA wal_autocheckpoint", on: db).first?.values.first?.intValue == 20000)
            #expect(try TestQueries.run("PRAGMA journal_mode", on: db).first?.values.first?.textValue == "wal")
        }
    }

    /// SQLite's sorter helpers are on for index builds only, and off again after them, also when
    /// a build fails.
    @Test func sqliteSortsWithHelpersOnlyWhileBuildingIndexes() throws {
        try withTestDatabase(.sqlite) { t in
            let db = try t.migrated()
            func threads() throws -> String? {
                let rows = try db.runAdHoc("PRAGMA threads", name: "threads")
                return rows.first?.values.first?.textValue
            }
            #expect(try threads() == "0")
            let during = try db.buildingIndexes { try threads() }
            #expect(during != "0" && during != nil)
            #expect(try threads() == "0")
            struct Stop: Error {}
            #expect(throws: Stop.self) { try db.buildingIndexes { throw Stop() } }
            #expect(try threads() == "0")
        }
    }
}
