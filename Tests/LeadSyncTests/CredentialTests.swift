import Foundation
import Testing
@testable import LeadSync

/// ISSUE 6, scenario 7: a canary password given in the URL, in PGPASSWORD or in a .pgpass file
/// never appears in stdout, stderr, logs, reports, mails or sync_run, on every path: a run that
/// succeeds (with debug logs, a report and mails), a mail delivery that fails, a run that fails
/// mid-way on a database error, and a connection to a database that does not exist.
@Suite struct CredentialTests {
    enum Source: String, CaseIterable, CustomTestStringConvertible, Sendable {
        case url, pgpassword, pgpass
        var testDescription: String { rawValue }
    }

    @Test(.enabled(if: TestEngine.postgresURL != nil), arguments: Source.allCases)
    func theCanaryPasswordNeverLeaks(source: Source) throws {
        try withTestDatabase(.postgres) { t in
            let canary = "Canary-\(UUID().uuidString.prefix(8))-pw"
            let role = "canary_\(source.rawValue)_\(UUID().uuidString.prefix(6).lowercased())"
            let admin = try t.open()
            try admin.executeScript("CREATE ROLE \(role) LOGIN SUPERUSER PASSWORD '\(canary)'", name: "test")
            defer { try? admin.executeScript("DROP OWNED BY \(role); DROP ROLE IF EXISTS \(role)", name: "test") }
            let config = try Corpus.load(into: t)
            // Mails go to a sendmail that always fails, so the delivery-failure path runs too.
            try Data((Corpus.config + "report_to = [\"admin@vertrieb.example\"]\nsendmail_command = \"/bin/false\"\n").utf8)
                .write(to: URL(fileURLWithPath: config))

            var components = try #require(URLComponents(string: t.url))
            components.user = role
            components.password = nil
            var env: [String: String] = ["LEADSYNC_LOG_LEVEL": "trace"]
            switch source {
            case .url: components.password = canary
            case .pgpassword: env["PGPASSWORD"] = canary
            case .pgpass:
                let file = t.directory.appendingPathComponent("pgpass")
                try Data("\(components.host ?? "*"):\(components.port.map(String.init) ?? "*"):*:\(role):\(canary)\n".utf8).write(to: file)
                chmod(file.path, 0o600)
                env["PGPASSFILE"] = file.path
            }
            let url = try #require(components.string)
            var wrongDatabase = components
            wrongDatabase.path = "/no_such_database"
            let reports = t.directory.appendingPathComponent("reports").path
            var outputs: [String] = []
            func run(_ args: [String], url: String) throws -> CLI.Result {
                var e = env
                e["LEADSYNC_DATABASE_URL"] = url
                let r = try CLI.run(args + ["--config", config] + (args[0] == "run" ? ["--report-dir", reports] : []), environment: e)
                outputs.append(r.stdout + r.stderr)
                return r
            }
            // A run that succeeds, then fails to hand its mails over (exit 75).
            let sent = try run(["run", "--settle-minutes", "0", "--send-mail", "--batch-size", "500", "--limit", "1000"], url: url)
            #expect(sent.status == 75, "\(sent.stderr)")
            // A run that fails mid-way: the mirror's lead table is gone.
            try admin.executeScript("ALTER TABLE salesforce.lead RENAME TO lead_gone", name: "test")
            let broken = try run(["run", "--settle-minutes", "0"], url: url)
            #expect(broken.status == 1)
            try admin.executeScript("ALTER TABLE salesforce.lead_gone RENAME TO lead", name: "test")
            // A connection that fails after authenticating, and a status and dry run.
            let missing = try run(["status"], url: try #require(wrongDatabase.string))
            #expect(missing.status == 1)
            #expect(try run(["status"], url: url).status == 0)
            _ = try run(["run", "--settle-minutes", "0", "--dry-run"], url: url)

            var leaks: [String] = outputs.filter { $0.contains(canary) }.map { "output: \($0.prefix(200))" }
            let files = FileManager.default.enumerator(atPath: reports)?.compactMap { $0 as? String } ?? []
            #expect(files.contains { $0.hasSuffix(".eml") }, "the runs wrote mails")
            for file in files {
                let path = reports + "/" + file
                if let data = FileManager.default.contents(atPath: path), String(decoding: data, as: UTF8.self).contains(canary) {
                    leaks.append("report file \(file)")
                }
            }
            for row in try t.rawRows("SELECT concat_ws('|', id, mode, status, error, report_path, config_checksum, host) FROM sync_run") {
                if row.values.first?.textValue?.contains(canary) ?? false { leaks.append("sync_run: \(row.values)") }
            }
            #expect(try t.scalar("SELECT count(*) FROM sync_run WHERE error IS NOT NULL") != "0", "the failing paths were recorded")
            #expect(leaks.isEmpty, "the canary leaked: \(leaks)")
        }
    }
}
