import Foundation
import Testing
@testable import LeadSync

/// A value the mirror rejects fails its row alone, with the database's reason.
@Suite struct RowIsolationTests {
    @Test(arguments: TestEngine.available)
    func aRejectedRowFailsAloneAndTheRestOfItsBatchExports(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Scenario(t)
            s.config += "[mapping.lead]\nlinkedin_url__c = \"title\"\n"
            for i in 0..<6 {
                s.capture("r\(i)", last: "Person\(i)", email: "p\(i)@x.example", minutesAgo: 60 - i,
                          title: i == 3 ? "javascript:alert(1)" : "https://li.example/\(i)")
            }
            let (db, config) = try s.load()
            try db.executeScript("ALTER TABLE lead ADD COLUMN linkedin_url__c text CHECK (linkedin_url__c LIKE 'https://%')", name: "t")
            var options = Scenario.options()
            options.batchSize = 4
            let summary = try SyncJob(db: db, config: config).run(options)
            let o = try Scenario.outcomes(db)
            #expect(o["r3"]?.status == "failed")
            #expect(o["r3"]?.code == "crm_rejected")
            #expect(o["r3"]?.message?.contains(engine == .postgres ? "23514" : "SQLITE_CONSTRAINT") == true, "\(o["r3"]?.message ?? "")")
            for i in [0, 1, 2, 4, 5] { #expect(o["r\(i)"]?.status == "exported", "r\(i)") }
            #expect(summary.exported == 5)
            #expect(summary.failed == 1)
            #expect(try db.runAdHoc("SELECT attempts FROM captured_contact WHERE external_id = 'r3'", name: "t").first?.int("attempts") == 1)
        }
    }
}

extension RowIsolationTests {
    /// The outcome UPDATE stops at a row it cannot write, after the rows before it (SQLite's runs
    /// it OR FAIL, without a statement journal): the batch's rollback must undo those rows and
    /// their mirror records, so that each row is written once when its batch is taken apart.
    /// A trigger refuses r3's export here.
    @Test(arguments: TestEngine.available)
    func anOutcomeWriteThatStopsHalfwayLeavesNoRowWrittenTwice(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Scenario(t)
            for i in 0..<6 { s.capture("r\(i)", last: "Person\(i)", email: "p\(i)@x.example", minutesAgo: 60 - i) }
            let (db, config) = try s.load()
            if engine == .postgres {
                try db.executeScript("""
                    CREATE FUNCTION refuse_r3() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        IF NEW.external_id = 'r3' AND NEW.status = 'exported' THEN RAISE EXCEPTION 'r3 refused' USING ERRCODE = 'check_violation'; END IF;
                        RETURN NEW;
                    END $$;
                    CREATE TRIGGER refuse_r3 BEFORE UPDATE ON captured_contact FOR EACH ROW EXECUTE FUNCTION refuse_r3();
                    """, name: "t")
            } else {
                try db.executeScript("""
                    CREATE TRIGGER refuse_r3 BEFORE UPDATE ON captured_contact
                    WHEN NEW.external_id = 'r3' AND NEW.status = 'exported'
                    BEGIN SELECT RAISE(FAIL, 'r3 refused'); END
                    """, name: "t")
            }
            var options = Scenario.options()
            options.batchSize = 6
            let summary = try SyncJob(db: db, config: config).run(options)
            let o = try Scenario.outcomes(db)
            #expect(o["r3"]?.status == "failed")
            for i in [0, 1, 2, 4, 5] { #expect(o["r\(i)"]?.status == "exported", "r\(i)") }
            #expect(summary.exported == 5)
            let attempts = try db.runAdHoc("SELECT external_id, attempts FROM captured_contact ORDER BY external_id", name: "t")
                .map { "\($0.string("external_id") ?? "") \($0.int("attempts") ?? -1)" }
            #expect(attempts == ["r0 1", "r1 1", "r2 1", "r3 1", "r4 1", "r5 1"])
            let records = try db.runAdHoc("SELECT leadsync_id__c FROM lead WHERE leadsync_id__c IS NOT NULL ORDER BY leadsync_id__c", name: "t")
                .map { $0.string("leadsync_id__c") ?? "" }
            #expect(records == ["r0", "r1", "r2", "r4", "r5"])
        }
    }
}
