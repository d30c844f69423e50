import Foundation
import Testing
@testable import LeadSync

/// A bulk load (COPY on PostgreSQL, multi-row INSERTs on SQLite) that the database refuses names
/// the load and is a data rejection (its row alone should fail), and a rollback after it leaves
/// the connection as good as new.
@Suite struct BulkLoadTests {
    @Test(arguments: TestEngine.available)
    func aRejectedLoadNamesItselfAndLeavesTheConnectionUsable(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            let db = try t.migrated()
            try db.executeScript("CREATE TABLE load_check (v integer CHECK (v > 0))", name: "t")
            let bad: [[SQLValue]] = [[.integer(1)], [.integer(-1)], [.integer(2)]]
            try db.begin(immediate: true)
            var rejected: DatabaseError?
            do {
                try db.bulkLoad(table: "load_check", columns: ["v"], rows: bad)
            } catch let error as DatabaseError {
                rejected = error
            }
            #expect(rejected?.query == (engine == .postgres ? "copy load_check" : "load load_check"))
            #expect(rejected?.isDataRejection == true)
            db.rollback()
            try db.transaction { try db.bulkLoad(table: "load_check", columns: ["v"], rows: [[.integer(3)], [.integer(4)]]) }
            #expect(try db.runAdHoc("SELECT count(*) AS n FROM load_check", name: "t").first?.int("n") == 2)
        }
    }
}
