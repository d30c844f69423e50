import Foundation
import Testing
@testable import LeadSync

/// SYNC_RULES.md §9: rows exported earlier confirmed or rejected as Heroku Connect left their
/// mirror rows, played by the project's script (`scripts/heroku-connect-sim.sh`) against the real
/// database. One named test per rule, each on SQLite and PostgreSQL.
@Suite struct ClosedLoopTests {
    /// Loads `s`, runs it once at `Scenario.now`, then plays Heroku Connect with `outcomes`.
    static func exportThenSync(_ s: Scenario, _ outcomes: [HerokuConnectSim.Outcome] = []) throws -> (any Database, Configuration) {
        let (db, config) = try s.load()
        _ = try SyncJob(db: db, config: config).run(Scenario.options())
        try HerokuConnectSim.sync(s.t, outcomes)
        return (db, config)
    }

    /// A run `minutes` after `Scenario.now`.
    static func run(_ db: any Database, _ config: Configuration, minutesLater minutes: Double,
                    configure: (inout SyncOptions) -> Void = { _ in }) throws -> SyncSummary {
        var options = Scenario.options()
        options.clock = { Scenario.now.addingTimeInterval(minutes * 60) }
        configure(&options)
        return try SyncJob(db: db, config: config).run(options)
    }

    /// Each captured row's `crm_sfid` ("" when empty).
    static func sfids(_ t: TestDatabase) throws -> [String: String] {
        var out: [String: String] = [:]
        for row in try t.rawRows("SELECT external_id, crm_sfid, confirmed_at FROM captured_contact") {
            out[row.string("external_id") ?? ""] = row.string("crm_sfid") ?? ""
        }
        return out
    }

    @Test(arguments: TestEngine.available)
    func aSyncedRecordConfirmsItsRowWhateverItsLastOperationSays(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Scenario(t)
            s.capture("synced", last: "Alpha", email: "a@x.example")
            s.capture("waiting", last: "Beta", email: "b@x.example")
            s.capture("updated-later", last: "Gamma", email: "c@x.example", target: "contact")
            let (db, config) = try Self.exportThenSync(s, [.init(id: "waiting", action: "stall")])
            // A later update of the synced record failed: the record exists all the same.
            try t.exec("UPDATE contact SET _hc_lastop = 'FAILED', _hc_err = 'UNABLE_TO_LOCK_ROW' WHERE leadsync_id__c = 'updated-later'")
            let summary = try Self.run(db, config, minutesLater: 10)
            let leadID = try #require(try t.scalar("SELECT id FROM lead WHERE leadsync_id__c = 'synced'").flatMap { Int($0) })
            let sfids = try Self.sfids(t)
            #expect(sfids["synced"] == "00QSIM" + String(format: "%012d", leadID))
            #expect(sfids["updated-later"]?.hasPrefix("003SIM") == true)
            #expect(sfids["waiting"] == "")
            #expect(summary.confirmed == 2)
            #expect(summary.unconfirmed == 0, "waiting, but not yet past max_wait_minutes")
            let o = try Scenario.outcomes(db)
            #expect(["synced", "waiting", "updated-later"].allSatisfy { o[$0]?.status == "exported" })
            #expect(try t.scalar("SELECT count(*) FROM captured_contact WHERE confirmed_at IS NOT NULL") == "2")
            #expect(try Self.run(db, config, minutesLater: 20).confirmed == 0, "a row is confirmed once")
        }
    }

    @Test(arguments: TestEngine.available)
    func aRejectedRecordFailsItsRowWithSalesforcesMessage(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Scenario(t)
            let cases: [(id: String, hcError: String, sfMessage: String, message: String)] = [
                ("json-message", #"{"errorCode":"DUPLICATES_DETECTED","message":"Use one of these records?"}"#, "", "Use one of these records?"),
                ("json-msg", #"{"msg":"Owner is inactive"}"#, "", "Owner is inactive"),
                ("text", "INVALID_EMAIL_ADDRESS: Email: invalid email address", "", "INVALID_EMAIL_ADDRESS: Email: invalid email address"),
                ("log-only", "", "FIELD_CUSTOM_VALIDATION_EXCEPTION: Postal code required", "FIELD_CUSTOM_VALIDATION_EXCEPTION: Postal code required"),
            ]
            for (i, c) in cases.enumerated() { s.capture(c.id, last: "L\(i)", email: "\(i)@x.example") }
            s.capture("fine", last: "Fine", email: "fine@x.example")
            let (db, config) = try Self.exportThenSync(s, cases.map { .init(id: $0.id, action: "fail", hcError: $0.hcError, sfMessage: $0.sfMessage) })
            let summary = try Self.run(db, config, minutesLater: 10)
            let o = try Scenario.outcomes(db)
            for c in cases {
                #expect(o[c.id]?.status == "failed")
                #expect(o[c.id]?.code == "crm_rejected")
                #expect(o[c.id]?.message == "Salesforce rejected the record: " + c.message)
                #expect(o[c.id]?.crmObject == "lead", "the row still names the record Salesforce refused")
            }
            #expect(o["fine"]?.status == "exported")
            #expect(summary.rejected == 4)
            #expect(summary.failed == 4)
            #expect(summary.failedByCode["crm_rejected"] == 4)
            #expect(summary.confirmed == 1)
            let status = try CLI.run(["status", "--database", t.url])
            #expect(status.stdout.contains("(1 confirmed by Salesforce, 0 not yet)"), "\(status.stdout)")
            #expect(status.stdout.contains("(4 rejected by Salesforce or removed from the mirror)"))
        }
    }

    @Test(arguments: TestEngine.available)
    func triggerLogEntriesCountForTheirTableAndRowWhereTheLogsExist(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Scenario(t)
            for (i, id) in ["logged", "archived", "other-table", "succeeded"].enumerated() { s.capture(id, last: "L\(i)", email: "\(i)@x.example") }
            let (db, config) = try Self.exportThenSync(s, ["logged", "archived", "other-table", "succeeded"].map { .init(id: $0, action: "stall") })
            func id(_ row: String) throws -> String { try #require(try t.scalar("SELECT id FROM lead WHERE leadsync_id__c = '\(row)'")) }
            try t.exec("""
                INSERT INTO _trigger_log (table_name, record_id, action, state, sf_message) VALUES
                  ('lead', \(try id("logged")), 'INSERT', 'FAILED', 'from the log'),
                  ('contact', \(try id("other-table")), 'INSERT', 'FAILED', 'another table''s row'),
                  ('lead', \(try id("succeeded")), 'INSERT', 'SUCCESS', NULL);
                INSERT INTO _trigger_log_archive (id, table_name, record_id, action, state, sf_message) VALUES
                  (1, 'lead', \(try id("archived")), 'INSERT', 'FAILED', 'from the archive');
                """)
            _ = try Self.run(db, config, minutesLater: 10)
            let o = try Scenario.outcomes(db)
            #expect(o["logged"]?.message == "Salesforce rejected the record: from the log")
            #expect(o["archived"]?.message == "Salesforce rejected the record: from the archive")
            #expect(o["other-table"]?.status == "exported")
            #expect(o["succeeded"]?.status == "exported")
            // Without the logs (a mirror whose Heroku Connect keeps none), the step reads what is there.
            try t.exec("DROP TABLE _trigger_log; DROP TABLE _trigger_log_archive")
            try t.exec("DELETE FROM lead WHERE leadsync_id__c = 'other-table'")
            _ = try Self.run(db, config, minutesLater: 20)
            let after = try Scenario.outcomes(db)
            #expect(after["other-table"]?.code == "crm_row_missing")
            #expect(after["succeeded"]?.status == "exported")
        }
    }

    @Test(arguments: TestEngine.available)
    func aMirrorRowRemovedBeforeSalesforceConfirmedItFailsItsRow(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Scenario(t)
            s.capture("removed", last: "Alpha", email: "a@x.example", target: "contact")
            s.capture("kept", last: "Beta", email: "b@x.example")
            let (db, config) = try Self.exportThenSync(s, [.init(object: "contact", id: "removed", action: "delete")])
            let summary = try Self.run(db, config, minutesLater: 10)
            let o = try Scenario.outcomes(db)
            #expect(o["removed"]?.status == "failed")
            #expect(o["removed"]?.code == "crm_row_missing")
            #expect(o["removed"]?.message == "The record was removed from the CRM mirror before Salesforce confirmed it.")
            #expect(o["kept"]?.status == "exported")
            #expect(summary.failedByCode["crm_row_missing"] == 1)
        }
    }

    @Test(arguments: TestEngine.available)
    func rowsWaitingPastMaxWaitAreListedAndAlertTheAdminButTheRunSucceeds(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Scenario(t)
            s.config += "max_wait_minutes = 60\nreport_to = [\"boss@example.com\"]\n"
            s.capture("slow", last: "Alpha", email: "a@x.example")
            s.capture("quick", last: "Beta", email: "b@x.example")
            let (db, config) = try Self.exportThenSync(s, [.init(id: "slow", action: "stall")])
            #expect(try Self.run(db, config, minutesLater: 59).unconfirmed == 0)
            let reports = t.directory.appendingPathComponent("reports")
            let late = try Self.run(db, config, minutesLater: 61) { $0.report = ReportOptions(directory: reports.path) }
            #expect(late.unconfirmed == 1)
            #expect(late.unconfirmedRows.map(\.externalID) == ["slow"])
            #expect(SummaryText.render(late).contains("1 not confirmed past max_wait_minutes"))
            let admin = try String(contentsOf: try ReportTests.folder(in: reports).appendingPathComponent("mail/admin.eml"), encoding: .utf8)
            #expect(admin.contains("Subject: ALERT: leadsync run #3"))
            #expect(late.report?.alert == nil, "waiting is Heroku Connect's state, not the run's failure")
            // The command exits 0 all the same.
            let file = t.directory.appendingPathComponent("c.toml")
            try Data(s.config.utf8).write(to: file)
            let cli = try CLI.run(["run", "--report-dir", t.directory.appendingPathComponent("cli").path, "--database", t.url, "--config", file.path])
            #expect(cli.status == 0, "\(cli.stderr)")
            #expect(cli.stdout.contains("not confirmed past max_wait_minutes"))
        }
    }

    @Test(arguments: TestEngine.available)
    func confirmationsFalseTurnsTheStepOff(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Scenario(t)
            s.config += "confirmations = false\n"
            s.capture("synced", last: "Alpha", email: "a@x.example")
            s.capture("removed", last: "Beta", email: "b@x.example")
            let (db, config) = try Self.exportThenSync(s, [.init(id: "removed", action: "delete")])
            let summary = try Self.run(db, config, minutesLater: 60 * 48)
            #expect(summary.confirmed == 0)
            #expect(summary.unconfirmed == 0)
            let o = try Scenario.outcomes(db)
            #expect(o["synced"]?.status == "exported")
            #expect(o["removed"]?.status == "exported")
            #expect(try Self.sfids(t).values.allSatisfy(\.isEmpty))
        }
    }

    @Test(arguments: TestEngine.available)
    func rejectionsReachTheCapturersMailFailedCsvAndTheCounts(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Scenario(t)
            s.capture("refused", last: "Alpha", email: "a@x.example")
            let (db, config) = try Self.exportThenSync(s, [.init(id: "refused", action: "fail", hcError: #"{"message":"Owner is inactive"}"#)])
            let reports = t.directory.appendingPathComponent("reports")
            _ = try Self.run(db, config, minutesLater: 10) { $0.report = ReportOptions(directory: reports.path) }
            let folder = try ReportTests.folder(in: reports)
            let failed = try String(contentsOf: folder.appendingPathComponent("failed.csv"), encoding: .utf8)
            #expect(failed.contains("refused,"))
            #expect(failed.contains("crm_rejected,Salesforce rejected the record: Owner is inactive"))
            let mail = try String(contentsOf: folder.appendingPathComponent("mail/user-rep@example.com.eml"), encoding: .utf8)
            #expect(ReportTests.textPart(mail).contains("Owner is inactive"))
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("summary.json"))) as? [String: Any]
            #expect((json?["counts"] as? [String: Int])?["failed"] == 1)
            #expect((json?["confirmations"] as? [String: Any])?["rejected"] as? Int == 1)
        }
    }

    @Test(arguments: TestEngine.available)
    func retryOfARejectedRowRemovesItsFailedMirrorRowAndTheNextRunWritesItAgain(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Scenario(t)
            s.capture("locked", last: "Alpha", email: "a@x.example", phone: "+49 30 1234567")
            s.capture("other", last: "Beta", email: "b@x.example")
            let (db, config) = try Self.exportThenSync(s, [.init(id: "locked", action: "fail", hcError: "UNABLE_TO_LOCK_ROW: unable to obtain exclusive access")])
            _ = try Self.run(db, config, minutesLater: 10)
            let firstID = try #require(try t.scalar("SELECT id FROM lead WHERE leadsync_id__c = 'locked'"))
            let retry = try CLI.run(["retry", "--error-code", "crm_rejected", "--database", t.url])
            #expect(retry.status == 0, "\(retry.stderr)")
            #expect(retry.stdout.contains("1 records Salesforce rejected were removed from the CRM mirror"))
            #expect(try t.scalar("SELECT count(*) FROM lead WHERE leadsync_id__c = 'locked'") == "0")
            #expect(try Scenario.outcomes(db)["locked"]?.status == "pending")
            _ = try Self.run(db, config, minutesLater: 20)
            let o = try Scenario.outcomes(db)
            #expect(o["locked"]?.status == "exported", "not a duplicate of its own removed record: \(o["locked"]?.message ?? "")")
            let secondID = try #require(try t.scalar("SELECT id FROM lead WHERE leadsync_id__c = 'locked'"))
            #expect(secondID != firstID, "mirror ids are never reused")
            try HerokuConnectSim.sync(t)
            #expect(try Self.run(db, config, minutesLater: 30).confirmed == 1)
            #expect(try Self.sfids(t)["locked"] == "00QSIM" + String(format: "%012d", Int(secondID) ?? 0))
        }
    }

    /// Migration 015 marks the rows exported before it confirmed (`confirmed_at = exported_at`):
    /// they get their Salesforce ids, but are never failed nor listed as waiting.
    @Test(arguments: TestEngine.available)
    func rowsExportedBeforeConfirmationsExistedAreNeverFailed(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Scenario(t)
            s.config += "max_wait_minutes = 60\n"
            s.capture("merged-since", last: "Alpha", email: "a@x.example")
            s.capture("synced", last: "Beta", email: "b@x.example")
            s.capture("never-synced", last: "Gamma", email: "c@x.example")
            let (db, config) = try Self.exportThenSync(s, [.init(id: "merged-since", action: "delete"), .init(id: "never-synced", action: "stall")])
            try t.exec("UPDATE captured_contact SET confirmed_at = exported_at WHERE status = 'exported'")
            let summary = try Self.run(db, config, minutesLater: 60 * 24)
            let o = try Scenario.outcomes(db)
            #expect(["merged-since", "synced", "never-synced"].allSatisfy { o[$0]?.status == "exported" })
            #expect(try Self.sfids(t)["synced"]?.hasPrefix("00QSIM") == true)
            #expect(summary.unconfirmed == 0)
            #expect(summary.failed == 0)
        }
    }

    @Test(arguments: TestEngine.available)
    func hcErrorsThatAreNotJSONEmptyOrHugeAndUnknownLogStatesEndInTheDocumentedState(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Scenario(t)
            let huge = String(repeating: "REQUIRED_FIELD_MISSING ", count: 4_500)
            let cases: [(id: String, hcError: String, message: String)] = [
                ("broken-json", #"{"message": "unterminated"#, #"{"message": "unterminated"#),
                ("not-a-string", #"{"message": 42, "msg": " "}"#, #"{"message": 42, "msg": " "}"#),
                ("array", #"["first", "second"]"#, #"["first", "second"]"#),
                ("empty", "", "(Heroku Connect gave no message)"),
                ("huge", huge, huge),
            ]
            for (i, c) in cases.enumerated() { s.capture(c.id, last: "L\(i)", email: "\(i)@x.example") }
            s.capture("odd-states", last: "Odd", email: "odd@x.example")
            let (db, config) = try Self.exportThenSync(s, cases.map { .init(id: $0.id, action: "fail", hcError: $0.hcError) }
                                                          + [.init(id: "odd-states", action: "stall")])
            let odd = try #require(try t.scalar("SELECT id FROM lead WHERE leadsync_id__c = 'odd-states'"))
            try t.exec("""
                INSERT INTO _trigger_log (table_name, record_id, action, state, sf_message) VALUES
                  ('lead', \(odd), 'INSERT', 'WEIRD', 'what is this'), ('lead', \(odd), 'INSERT', NULL, NULL),
                  ('lead', \(odd), 'INSERT', 'failed', 'lower case is not FAILED')
                """)
            #expect(huge.utf8.count > 100_000)
            let summary = try Self.run(db, config, minutesLater: 10)
            let o = try Scenario.outcomes(db)
            for c in cases {
                let want = String(("Salesforce rejected the record: " + c.message).prefix(500))
                #expect(o[c.id]?.code == "crm_rejected")
                #expect(o[c.id]?.message == want, "\(c.id)")
            }
            #expect(o["huge"]?.message?.count == 500)
            #expect(o["odd-states"]?.status == "exported", "only FAILED entries count")
            #expect(summary.rejected == cases.count)
        }
    }
}
