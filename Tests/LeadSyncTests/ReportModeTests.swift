import CSV
import Foundation
import Testing
@testable import LeadSync

/// Which mails each mode writes, and `leadsync report RUN_ID`.
@Suite struct ReportModeTests {
    @Test func backfillMailsUsersOnlyWhenAskedAndPushMailsTheRequester() throws {
        try withTestDatabase(.sqlite) { t in
            var s = Scenario(t)
            s.config += "report_to = [\"boss@example.com\"]\n"
            s.capture("a", last: "Alpha", email: "a@x.example")
            s.capture("b", last: "Beta", email: "b@x.example")
            s.capture("c", last: "Gamma", company: "", email: "c@x.example")
            _ = try s.load()
            let config = t.directory.appendingPathComponent("c.toml")
            try Data(s.config.utf8).write(to: config)
            let common = ["--database", t.url, "--config", config.path]
            func mails(_ dir: URL) throws -> [String] {
                try FileManager.default.contentsOfDirectory(atPath: try ReportTests.folder(in: dir).appendingPathComponent("mail").path).sorted()
            }
            let plain = t.directory.appendingPathComponent("r1")
            #expect(try CLI.run(["backfill", "--limit", "1", "--report-dir", plain.path] + common).status == 0)
            #expect(try mails(plain) == ["admin.eml"])
            let notify = t.directory.appendingPathComponent("r2")
            #expect(try CLI.run(["backfill", "--limit", "1", "--notify-users", "--report-dir", notify.path] + common).status == 0)
            #expect(try mails(notify) == ["admin.eml", "user-rep@example.com.eml"])
            let push = t.directory.appendingPathComponent("r3")
            #expect(try CLI.run(["push", "c", "--requested-by", "asker@example.com", "--report-dir", push.path] + common).status == 0)
            #expect(try mails(push) == ["admin.eml"])
            let admin = try String(contentsOf: try ReportTests.folder(in: push).appendingPathComponent("mail/admin.eml"), encoding: .utf8)
            #expect(admin.contains("To: <asker@example.com>"))

            let report = try CLI.run(["report", "3"] + common)
            #expect(report.status == 0)
            #expect(report.stdout.contains("run #3 (push) succeeded"))
            #expect(report.stdout.contains("0 contacts exported, 1 failed (1 read)"))
            #expect(report.stdout.contains("missing_company"))
            #expect(try CLI.run(["report", "99"] + common).status == 1)
            let status = try CLI.run(["status"] + common)
            #expect(status.stdout.contains("#3 push"))
            #expect(status.stdout.contains("#1 backfill"))
        }
    }
}
