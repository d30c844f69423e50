import CSV
import Foundation
import Testing
@testable import LeadSync

/// A run with many capturing users writes their mails on every core: each user still gets one
/// mail, to them, with their own counts and a message id of its own.
@Suite struct ManyUsersMailTests {
    @Test func everyCapturingUserGetsTheirOwnMail() throws {
        try withTestDatabase(.sqlite) { t in
            var s = Scenario(t)
            let users = 450
            for u in 0..<users {
                s.capture("u\(u)", last: "Person\(u)", email: "p\(u)@x.example", by: "user\(u)@example.com")
                if u % 3 == 0 { s.capture("u\(u)-bad", last: "Bad\(u)", email: "not-an-email", by: "user\(u)@example.com") }
            }
            let (db, config) = try s.load()
            var options = Scenario.options()
            options.report = ReportOptions(directory: t.directory.appendingPathComponent("reports").path)
            let summary = try SyncJob(db: db, config: config).run(options)
            let report = try #require(summary.report)
            #expect(report.mails.map(\.lastPathComponent) == (0..<users).map { "user-user\($0)@example.com.eml" }.sorted(),
                    "in the users' order")
            var ids = Set<String>()
            for u in 0..<users {
                let who = "user\(u)@example.com"
                let file = report.folder.appendingPathComponent("mail/user-\(ReportWriter.fileSafe(who)).eml")
                let eml = try String(contentsOf: file, encoding: .utf8)
                #expect(eml.contains("<\(who)>"), "\(file.lastPathComponent)")
                let failed = u % 3 == 0 ? 1 : 0
                #expect(ReportTests.textPart(eml).contains("1 were exported to Salesforce and \(failed) could not"), "\(who)")
                if let id = eml.split(separator: "\r\n").first(where: { $0.hasPrefix("Message-ID:") }) { ids.insert(String(id)) }
            }
            #expect(ids.count == users, "one message id per mail")
        }
    }
}
