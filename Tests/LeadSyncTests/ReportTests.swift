import CSV
import Foundation
import Testing
@testable import LeadSync

/// Run reports: the files agree with the database, one mail per capturing user, nothing half-written.
@Suite struct ReportTests {
    static func folder(in dir: URL) throws -> URL {
        let entries = try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil).filter { !$0.lastPathComponent.hasPrefix(".") }
        guard entries.count == 1, let only = entries.first else { throw UsageError("expected one report folder, found \(entries.map(\.lastPathComponent))") }
        return only
    }

    /// summary.json of run `id`'s report folder under `dir`.
    static func summary(ofRun id: Int, in dir: URL) throws -> URL {
        let entries = try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
        let folder = try #require(entries.first { $0.lastPathComponent.hasPrefix("run-\(id)-") })
        return folder.appendingPathComponent("summary.json")
    }

    /// The decoded text part of a message written by MailMessage.
    static func textPart(_ message: String) -> String {
        // A mailbox may store the message with LF line ends.
        let eml = message.replacingOccurrences(of: "\r\n", with: "\n")
        guard let start = eml.range(of: "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: base64\n\n"),
              let end = eml.range(of: "\n--", range: start.upperBound..<eml.endIndex) else { return "" }
        let b64 = eml[start.upperBound..<end.lowerBound].replacingOccurrences(of: "\n", with: "")
        return Data(base64Encoded: b64).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    /// exported.csv and failed.csv are written from the batches as they commit, not read back:
    /// every row's outcome columns must still equal what the database holds for it, and
    /// crm_record must name the record as the mirror does (Salesforce id, else the external id).
    @Test(arguments: TestEngine.available)
    func csvRowsAgreeWithTheDatabase(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            let config = try Corpus.load(into: t)
            // A row whose record the mirror already holds, with a Salesforce id (written before a
            // crash, then synced): the report names that record.
            let held = try #require(try t.scalar("SELECT external_id FROM captured_contact WHERE status = 'pending' AND external_id NOT LIKE '%''%' ORDER BY id LIMIT 1"))
            try t.exec("INSERT INTO lead (sfid, lastname, company, leadsync_id__c, isdeleted, systemmodstamp) VALUES ('00Q00000000000HELD', 'Held', 'Firm', '\(held)', \(t.engine == .postgres ? "false" : "0"), '2026-01-01 00:00:00')")
            let reports = t.directory.appendingPathComponent("reports")
            let r = try CLI.run(["run", "--settle-minutes", "0", "--report-dir", reports.path, "--database", t.url, "--config", config])
            #expect(r.status == 0, "\(r.stderr)")
            let folder = try Self.folder(in: reports)
            var expected: [String: [String]] = [:]
            for row in try t.rawRows("""
                SELECT c.external_id, c.status, c.error_code, c.error_message, c.crm_object, c.crm_id, c.owner_sfid, c.owner_source,
                       CASE c.crm_object
                         WHEN 'lead' THEN (SELECT COALESCE(l.sfid, l.leadsync_id__c) FROM lead l WHERE l.id = c.crm_id)
                         WHEN 'contact' THEN (SELECT COALESCE(m.sfid, m.leadsync_id__c) FROM contact m WHERE m.id = c.crm_id)
                         WHEN 'account' THEN (SELECT a.sfid FROM account a WHERE a.id = c.crm_id)
                       END AS crm_record,
                       CASE WHEN c.exported_at IS NULL THEN '' ELSE 'set' END AS exported
                FROM captured_contact c WHERE c.status <> 'pending'
                """) {
                expected[row.string("external_id") ?? ""] = ["status", "error_code", "error_message", "crm_object", "crm_id", "crm_record",
                                                             "owner_sfid", "owner_source", "exported"].map { row.string($0) ?? "" }
            }
            var seen = 0
            for file in ["exported.csv", "failed.csv"] {
                let reader = try CSVReader(string: try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8), hasHeaderRow: true)
                while let fields = reader.next() {
                    let cell = { (name: String) in reader.headerRow.flatMap { $0.firstIndex(of: name) }.map { fields[$0] } ?? "<missing>" }
                    let id = cell("external_id")
                    let got = ["status", "error_code", "error_message", "crm_object", "crm_id", "crm_record", "owner_sfid", "owner_source"].map(cell)
                        + [cell("exported_at").isEmpty ? "" : "set"]
                    let want = (expected.removeValue(forKey: id) ?? ["<not processed>"]).map(ReportFiles.neutralize)
                    #expect(got == want, "\(file): \(id)")
                    #expect(file == (want.first == "exported" ? "exported.csv" : "failed.csv"), "\(id) in the right file")
                    seen += 1
                }
            }
            #expect(expected.isEmpty, "every processed row is in the report once: missing \(expected.keys.sorted().prefix(5))")
            #expect(seen > 1000)
            let heldOutcome = try #require(try t.rawRows("SELECT status, crm_object FROM captured_contact WHERE external_id = '\(held)'").first)
            #expect(heldOutcome.string("status") == "exported" && heldOutcome.string("crm_object") == "lead", "the held row counts as exported to its record")
            let exported = try String(contentsOf: folder.appendingPathComponent("exported.csv"), encoding: .utf8)
            #expect(exported.contains("00Q00000000000HELD"), "the report names the record the mirror already held")
        }
    }

    @Test(arguments: TestEngine.available)
    func corpusReportAgreesWithTheDatabase(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            let config = try Corpus.load(into: t)
            let reports = t.directory.appendingPathComponent("reports")
            let r = try CLI.run(["run", "--settle-minutes", "0", "--report-dir", reports.path, "--database", t.url, "--config", config])
            #expect(r.status == 0, "\(r.stderr)")
            let folder = try Self.folder(in: reports)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("summary.json"))) as? [String: Any])
            let counts = try #require(json["counts"] as? [String: Int])
            #expect(json["schema_version"] as? Int == 2)
            #expect(Set(json.keys) == ["schema_version", "run_id", "mode", "dry_run", "started_at", "finished_at", "duration_seconds",
                                       "rows_per_second", "counts", "failed_by_error_code", "owners_by_source", "owners_by_rule", "per_user",
                                       "confirmations", "calls", "config_checksum", "report", "alert", "no_mail"], "summary.json's documented keys, alert included")
            #expect(Set((json["calls"] as? [String: Any] ?? [:]).keys) == ["read", "logged", "waiting", "skipped", "failed", "tasks_written", "utm_filled",
                                                                           "skipped_by_code", "failed_by_code", "records_created", "per_agent",
                                                                           "tasks_per_manager"])
            #expect(Set((json["confirmations"] as? [String: Any] ?? [:]).keys) == ["confirmed", "rejected", "rejected_rows", "unconfirmed", "unconfirmed_rows"])
            #expect(json["alert"] is NSNull, "no alert without a failure-rate limit: null, not left out")
            let run = try #require(try t.rawRows("SELECT id, read_count, exported_count, failed_count, report_path FROM sync_run").first)
            #expect(counts["read"] == run.int("read_count"))
            #expect(counts["exported"] == run.int("exported_count"))
            #expect(counts["failed"] == run.int("failed_count"))
            #expect(counts["exported"] == Int(try t.scalar("SELECT count(*) FROM captured_contact WHERE status = 'exported'") ?? ""))
            #expect(counts["failed"] == Int(try t.scalar("SELECT count(*) FROM captured_contact WHERE status = 'failed'") ?? ""))
            #expect(run.string("report_path") == folder.path)
            let byCode = try #require(json["failed_by_error_code"] as? [String: Int])
            #expect(byCode["duplicate_email"] == 366)

            // failed.csv: every failed row, once.
            let failedCSV = try String(contentsOf: folder.appendingPathComponent("failed.csv"), encoding: .utf8)
            let failedIDs = Set(try t.rawRows("SELECT external_id FROM captured_contact WHERE status = 'failed'").compactMap { $0.string("external_id") })
            let csvIDs = failedCSV.split(separator: "\r\n").dropFirst().map { String($0.split(separator: ",").first ?? "") }
            #expect(Set(csvIDs) == failedIDs)
            #expect(csvIDs.count == failedIDs.count)

            // One mail per capturing user, whose counts are that user's rows.
            let perUser = try #require(json["per_user"] as? [String: [String: Int]])
            let mailDir = folder.appendingPathComponent("mail")
            let mails = try FileManager.default.contentsOfDirectory(atPath: mailDir.path).filter { $0.hasPrefix("user-") }
            let capturers = try t.rawRows("SELECT lower(trim(captured_by)) AS who, sum(CASE WHEN status = 'exported' THEN 1 ELSE 0 END) AS exported, sum(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) AS failed FROM captured_contact GROUP BY lower(trim(captured_by))")
            #expect(mails.count == capturers.filter { ($0.string("who") ?? "").contains("@") }.count)
            for c in capturers {
                let who = c.string("who") ?? ""
                guard who.contains("@") else { continue }
                #expect(perUser[who]?["exported"] == c.int("exported"))
                #expect(perUser[who]?["failed"] == c.int("failed"))
                let eml = try String(contentsOf: mailDir.appendingPathComponent("user-\(ReportWriter.fileSafe(who)).eml"), encoding: .utf8)
                #expect(eml.contains("<\(who)>"))
                #expect(Self.textPart(eml).contains("\(c.int("exported") ?? -1) were exported to Salesforce and \(c.int("failed") ?? -1) could not"))
            }

            let html = try String(contentsOf: folder.appendingPathComponent("summary.html"), encoding: .utf8)
            #expect(html.contains("1391 exported"))
            #expect(html.components(separatedBy: "<tr><td>").count - 1 == min(607, 1000))
            #expect(!html.contains("<script"))
        }
    }

    @Test func csvCellsThatASpreadsheetWouldRunAreNeutralised() {
        #expect(ReportFiles.csvLine(["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "plain", "a,b"]) == "\"'=HYPERLINK(\"\"x\"\")\",'+1,'-2,'@SUM(A1),plain,\"a,b\"\r\n")
        #expect(ReportFiles.html("<b>\u{1B}[31mred") == "&lt;b&gt;\u{FFFD}[31mred")
    }

    @Test func germanMailsEncodeNonASCIIHeaders() throws {
        let m = MailMessage(from: "leadsync@x.example", to: [("Jürgen Müller", "jm@x.example")],
                            subject: MailTexts(language: "de").userSubject(exported: 3, failed: 1), text: "Grüße", html: "<p>Grüße</p>",
                            date: Date(timeIntervalSince1970: 0), id: "1@x")
        let text = m.rendered()
        #expect(text.contains("To: =?UTF-8?B?"))
        #expect(text.contains("<jm@x.example>"))
        #expect(text.contains("Subject: 3 Kontakte nach Salesforce exportiert, 1 fehlgeschlagen"))
        #expect(text.contains("Content-Type: multipart/alternative"))
        #expect(!text.split(separator: "\r\n").contains { $0.utf8.count > 998 })
        let encodedName = try #require(text.split(separator: "\r\n").first { $0.hasPrefix("To: ") })
        let b64 = encodedName.dropFirst("To: =?UTF-8?B?".count).prefix { $0 != "?" }
        #expect(Data(base64Encoded: String(b64)).map { String(decoding: $0, as: UTF8.self) }?.hasPrefix("Jürgen") == true)
    }

    @Test(arguments: TestEngine.available)
    func dryRunWritesAReportButNothingElse(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            let config = try Corpus.load(into: t)
            let reports = t.directory.appendingPathComponent("reports")
            let r = try CLI.run(["run", "--dry-run", "--settle-minutes", "0", "--report-dir", reports.path, "--database", t.url, "--config", config])
            #expect(r.status == 0, "\(r.stderr)")
            let folder = try Self.folder(in: reports)
            #expect(folder.lastPathComponent.hasPrefix("dry-run-"))
            let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("summary.json"))) as? [String: Any])
            #expect((json["counts"] as? [String: Int])?["exported"] == 1391)
            #expect(json["dry_run"] as? Bool == true)
            #expect(try t.scalar("SELECT count(*) FROM captured_contact WHERE status = 'pending'") == "1998")
        }
    }

    @Test func killedRunsLeaveNoHalfReport() throws {
        try withTestDatabase(.sqlite) { t in
            let config = try Corpus.load(into: t)
            let reports = t.directory.appendingPathComponent("reports")
            var rng = SystemRandomNumberGenerator()
            for _ in 0..<6 {
                let p = Process()
                p.executableURL = CLI.executable
                p.arguments = ["run", "--dry-run", "--settle-minutes", "0", "--batch-size", "50", "--report-dir", reports.path, "--database", t.url, "--config", config]
                p.standardOutput = FileHandle.nullDevice
                p.standardError = FileHandle.nullDevice
                try p.run()
                usleep(UInt32.random(in: 50_000...900_000, using: &rng))
                kill(p.processIdentifier, SIGKILL)
                p.waitUntilExit()
            }
            let entries = (try? FileManager.default.contentsOfDirectory(at: reports, includingPropertiesForKeys: nil)) ?? []
            for folder in entries where !folder.lastPathComponent.hasPrefix(".") {
                for file in ["summary.json", "summary.txt", "summary.html", "exported.csv", "failed.csv"] {
                    #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path), "\(folder.lastPathComponent) lacks \(file)")
                }
                #expect((try? JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("summary.json")))) != nil)
            }
        }
    }

    /// A capturing user typed as `karl heinz75@vertrieb.example` (a space inside) gets no mail:
    /// the address is not one, and taking the space out would mail someone else. The report and
    /// the admin mail list it instead; a valid capturer still gets theirs.
    @Test func aCapturerWhoseAddressIsNotValidGetsNoMailAndIsListed() throws {
        try withTestDatabase(.sqlite) { t in
            var s = Scenario(t)
            s.config += "report_to = [\"admin@example.com\"]\n"
            s.capture("a", last: "Ames", email: "ames@x.example", by: "karl heinz75@vertrieb.example")
            s.capture("b", last: "Berg", email: "berg@x.example", by: "rep@example.com")
            let (db, config) = try s.load()
            var options = Scenario.options()
            let reports = t.directory.appendingPathComponent("reports")
            options.report = ReportOptions(directory: reports.path)
            let summary = try SyncJob(db: db, config: config).run(options)
            let written = try #require(summary.report)
            #expect(written.noMail == ["karl heinz75@vertrieb.example"])
            let mails = written.mails.map(\.lastPathComponent).sorted()
            #expect(mails == ["admin.eml", "user-rep@example.com.eml"], "\(mails)")
            for mail in written.mails {
                let text = try String(contentsOf: mail, encoding: .utf8)
                #expect(!text.contains("karlheinz75@vertrieb.example"), "no address made from it")
            }
            let admin = Self.textPart(try String(contentsOf: written.folder.appendingPathComponent("mail/admin.eml"), encoding: .utf8))
            #expect(admin.contains("no mail: not a valid address: karl heinz75@vertrieb.example"), "\(admin)")
            let json = try String(contentsOf: written.folder.appendingPathComponent("summary.json"), encoding: .utf8)
            #expect(json.contains("\"captured_by\" : \"karl heinz75@vertrieb.example\""), "\(json)")
            #expect(json.contains("\"reason\" : \"not a valid address\""))
            let text = try String(contentsOf: written.folder.appendingPathComponent("summary.txt"), encoding: .utf8)
            #expect(text.contains("no mail: not a valid address: karl heinz75@vertrieb.example"))
        }
    }
}
