import Foundation
import Testing
@testable import LeadSync

/// ISSUE 6, scenario 5: attempts are counted, and a row that keeps failing stops being retried
/// after `max_attempts`.
@Suite struct AttemptLimitTests {
    @Test(arguments: TestEngine.available)
    func aRowThatKeepsFailingStopsBeingRetried(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            let config = t.directory.appendingPathComponent("leadsync.toml")
            try Data((Corpus.config + "max_attempts = 2\n").utf8).write(to: config)
            let csv = t.directory.appendingPathComponent("captured.csv")
            try Data("external_id,first_name,last_name,company,email\nno-company,Ann,Lee,,ann@example.com\nfine,Bo,Berg,ACME,bo@example.com\n".utf8).write(to: csv)
            func cli(_ args: [String]) throws -> CLI.Result {
                try CLI.run(args + ["--database", t.url, "--config", config.path])
            }
            #expect(try cli(["migrate", "--crm-mirror"]).status == 0)
            #expect(try cli(["import", csv.path]).status == 0)
            try t.exec("INSERT INTO \"user\" (sfid, email, name, isactive) VALUES ('005000000000000001', 'crm-admin@vertrieb.example', 'Admin', \(engine == .sqlite ? "1" : "true"))")
            let first = try cli(["run", "--settle-minutes", "0"])
            #expect(first.status == 0, "\(first.stderr)")
            #expect(try t.scalar("SELECT attempts || ' ' || error_code FROM captured_contact WHERE external_id = 'no-company'") == "1 missing_company")
            #expect(try cli(["retry"]).stdout.contains("1 failed contacts are pending again"))
            #expect(try cli(["run", "--settle-minutes", "0"]).status == 0)
            #expect(try t.scalar("SELECT attempts FROM captured_contact WHERE external_id = 'no-company'") == "2")
            let refused = try cli(["retry"])
            #expect(refused.stdout.contains("0 failed contacts are pending again"), "\(refused.stdout)")
            #expect(refused.stdout.contains("1 stay failed: tried 2 times"), "\(refused.stdout)")
            #expect(try t.scalar("SELECT status FROM captured_contact WHERE external_id = 'no-company'") == "failed")
            // Put back by hand, it fails at once with its own reason instead of another attempt.
            try t.exec("UPDATE captured_contact SET status = 'pending' WHERE external_id = 'no-company'")
            #expect(try cli(["run", "--settle-minutes", "0"]).status == 0)
            #expect(try t.scalar("SELECT error_code FROM captured_contact WHERE external_id = 'no-company'") == "too_many_attempts")
            #expect(try t.scalar("SELECT attempts || ' ' || status FROM captured_contact WHERE external_id = 'fine'") == "1 exported")
        }
    }
}
