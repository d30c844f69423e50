import Foundation
import Testing
@testable import LeadSync

/// Whatever happens, every captured contact ends exported once or failed with a reason.
@Suite struct ReliabilityTests {
    /// The invariants checked after every scenario.
    static func checkInvariants(_ t: TestDatabase) throws {
        let pendingOrTerminal = try t.scalar("SELECT count(*) FROM captured_contact WHERE status NOT IN ('pending', 'exported', 'failed')")
        #expect(pendingOrTerminal == "0")
        #expect(try t.scalar("SELECT count(*) FROM captured_contact WHERE status = 'failed' AND error_code IS NULL") == "0", "every failure has a reason")
        for object in ["lead", "contact"] {
            #expect(try t.scalar("SELECT count(leadsync_id__c) - count(DISTINCT leadsync_id__c) FROM \(object)") == "0", "no \(object) written twice")
        }
        #expect(try t.scalar("SELECT count(*) FROM captured_contact WHERE status = 'exported'")
                == t.scalar("SELECT (SELECT count(*) FROM lead WHERE leadsync_id__c IS NOT NULL) + (SELECT count(*) FROM contact WHERE leadsync_id__c IS NOT NULL)"),
                "exported rows = mirror rows written")
        #expect(try t.scalar("""
            SELECT count(*) FROM (SELECT lower(trim(email)) AS k FROM captured_contact
                                  WHERE status = 'exported' AND trim(coalesce(email, '')) <> '' GROUP BY lower(trim(email)) HAVING count(*) > 1) d
            """) == "0", "no two exported rows share an email key")
    }

    /// PostgreSQL ends a killed client's sessions only once each notices (its statement or lock
    /// wait over, its next read from the socket): until then the run's owner lock is held and the
    /// next run rightly leaves that run `running`. The next run here starts after they ended, as
    /// the next cron run would; a session that outlives 10 s fails the test.
    static func waitForKilledSessions(_ t: TestDatabase) throws {
        guard t.engine == .postgres else { return }
        let sessions = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = 'leadsync'"
        let deadline = Date().addingTimeInterval(10)
        while try t.scalar(sessions) != "0" && Date() < deadline { usleep(50_000) }
        #expect(try t.scalar(sessions) == "0", "a killed run's session outlived 10 s")
    }

    /// After a failure scenario: a normal run exits 0, keeps the invariants, leaves nothing pending
    /// and no run `running` (the failed ones were marked abandoned), and every row has the
    /// corpus's status and error code.
    static func nextRunCompletesTheCorpus(_ t: TestDatabase, config: String) throws {
        let next = try CLI.run(["run", "--settle-minutes", "0", "--config", config, "--database", t.url,
                                "--report-dir", t.directory.appendingPathComponent("reports").path])
        #expect(next.status == 0, "\(next.stderr)")
        try checkInvariants(t)
        #expect(try t.scalar("SELECT count(*) FROM captured_contact WHERE status = 'pending'") == "0")
        #expect(try t.scalar("SELECT count(*) FROM sync_run WHERE status = 'running'") == "0")
        let expected = try Corpus.records("expected.csv")
        let actual = try Corpus.outcomes(t)
        let differing = expected.filter { e in ["status", "error_code"].contains { actual[e["external_id"] ?? ""]?[$0] != e[$0] } }
        #expect(differing.isEmpty, "\(differing.count) outcomes differ from the corpus, e.g. \(differing.prefix(3))")
    }

    /// Starts `leadsync run` (with `extra` arguments) `times` times, each killed (SIGKILL) at a
    /// random moment within `upToMicroseconds`, calling `check` after each.
    static func killRuns(_ t: TestDatabase, config: String, extra: [String] = [], times: Int, upToMicroseconds: UInt32,
                         check: () throws -> Void) throws {
        var rng = SystemRandomNumberGenerator()
        var env = ProcessInfo.processInfo.environment
        env["LEADSYNC_DATABASE_URL"] = t.url
        for _ in 0..<times {
            let p = Process()
            p.executableURL = CLI.executable
            p.arguments = ["run", "--settle-minutes", "0", "--batch-size", "40", "--config", config,
                           "--report-dir", t.directory.appendingPathComponent("reports").path] + extra
            p.environment = env
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(UInt32.random(in: 20_000...upToMicroseconds, using: &rng))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            try check()
        }
    }

    @Test(arguments: TestEngine.available)
    func killedRunsThenANormalRunKeepTheInvariants(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            let config = try Corpus.load(into: t)
            try Self.killRuns(t, config: config, times: 10 * Soak.rounds, upToMicroseconds: 400_000) { try Self.checkInvariants(t) }
            try Self.waitForKilledSessions(t)
            try Self.nextRunCompletesTheCorpus(t, config: config)
            if engine == .sqlite {
                #expect(try t.scalar("PRAGMA integrity_check") == "ok")
            }
        }
    }

    /// A report that cannot be written (here every file is capped at 64 KB, which fails writes as
    /// a full disk does) stops the run at the next batch with one line saying so: the batches
    /// already committed stay exported, the rest stay pending, no half report is left, the run is
    /// recorded as failed with the reason, and the next run completes the corpus.
    @Test func aReportWriteErrorStopsTheRunAndLosesNoRow() throws {
        try withTestDatabase(.postgres) { t in
            let config = try Corpus.load(into: t)
            let reports = t.directory.appendingPathComponent("reports")
            let r = try CLI.run(["run", "--settle-minutes", "0", "--batch-size", "100", "--config", config, "--database", t.url,
                                 "--report-dir", reports.path], fileSizeLimitKB: 64)
            #expect(r.status == 1)
            #expect(r.errorLines.count == 1, "\(r.stderr)")
            #expect(r.stderr.contains("report") && r.stderr.contains("File too large"), "\(r.stderr)")
            let left = (try? FileManager.default.contentsOfDirectory(atPath: reports.path)) ?? []
            #expect(left.isEmpty, "no report folder, finished or not: \(left)")
            #expect(try t.scalar("SELECT status FROM sync_run") == "failed")
            #expect(try t.scalar("SELECT error FROM sync_run")?.contains("File too large") == true)
            let done = Int(try t.scalar("SELECT count(*) FROM captured_contact WHERE status <> 'pending'") ?? "") ?? 0
            #expect(done > 0 && done < 1500, "stopped after some batches: \(done) rows done")
            try Self.checkInvariants(t)
            try Self.nextRunCompletesTheCorpus(t, config: config)
        }
    }
}
