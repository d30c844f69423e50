import Foundation
import Testing
@testable import LeadSync

/// The server goes away or stops answering mid-run (ISSUE 6, scenarios 3 and 4): the job ends
/// with one line naming the SQLSTATE, within its timeouts, and the next run completes.
/// Each test starts a PostgreSQL server of its own, so restarting it disturbs no other test.
@Suite(.serialized) struct ServerFailureTests {
    /// Loads the corpus into a fresh database on `server`; returns it and the config path.
    static func corpus(on server: OwnPostgresServer, extraConfig: String = "") throws -> (TestDatabase, String) {
        let t = try server.database("corpus", directory: server.directory)
        let config = try Corpus.load(into: t)
        if !extraConfig.isEmpty {
            try Data((Corpus.config + extraConfig).utf8).write(to: URL(fileURLWithPath: config))
        }
        return (t, config)
    }

    /// Waits until the running job has exported something, so the failure hits it mid-run.
    static func waitForProgress(_ t: TestDatabase, job: BackgroundJob) throws {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline && job.process.isRunning {
            if let n = try? t.scalar("SELECT count(*) FROM captured_contact WHERE status <> 'pending'"), (Int(n) ?? 0) > 0 { return }
            usleep(20_000)
        }
    }

    static func runArguments(_ config: String, _ t: TestDatabase) -> [String] {
        ["run", "--settle-minutes", "0", "--batch-size", "2", "--config", config, "--report-dir", t.directory.appendingPathComponent("reports").path]
    }

    @Test(.enabled(if: OwnPostgresServer.isAvailable))
    func aRestartMidRunEndsItWithOneLineAndTheNextRunCompletes() throws {
        for _ in 0..<Soak.rounds { try restartOnce() }
    }

    func restartOnce() throws {
        let server = try OwnPostgresServer()
        let (t, config) = try Self.corpus(on: server)
        let job = try BackgroundJob(Self.runArguments(config, t), environment: ["LEADSYNC_DATABASE_URL": t.url], directory: server.directory)
        try Self.waitForProgress(t, job: job)
        #expect(job.process.isRunning, "the run ended before the restart: the test needs a longer run")
        try server.restartImmediately()
        let ended = job.wait(atMost: 60)
        #expect(ended != nil, "the job still ran 60 s after the restart")
        #expect(ended.map { $0.status != 0 } ?? false, "a run cut by a restart must not exit 0")
        let lines = job.errorText.split(separator: "\n").filter { !$0.isEmpty }
        print("after a restart, the job said: \(job.errorText)", terminator: "")
        #expect(lines.count == 1, "one line, got: \(job.errorText)")
        #expect(lines.first.map { $0.contains("57P01") || $0.contains("08006") || $0.contains("57P02") } ?? false, "names the SQLSTATE: \(job.errorText)")
        try ReliabilityTests.checkInvariants(t)

        // The next run completes; the cut run was marked abandoned, not left "running".
        try ReliabilityTests.nextRunCompletesTheCorpus(t, config: config)
    }

    @Test(.enabled(if: OwnPostgresServer.isAvailable))
    func aServerThatStopsAnsweringHangsNothingPastTheTimeouts() throws {
        let server = try OwnPostgresServer()
        let (t, config) = try Self.corpus(on: server, extraConfig: "[postgres]\nconnect_timeout_seconds = 2\nstatement_timeout_ms = 1000\n")
        // Connecting: the postmaster is frozen (SIGSTOP), so the connection is accepted by the
        // kernel and never answered.
        let postmaster = try server.postmasterPID
        kill(postmaster, SIGSTOP)
        let connecting = try BackgroundJob(Self.runArguments(config, t), environment: ["LEADSYNC_DATABASE_URL": t.url], directory: server.directory)
        let connectEnd = connecting.wait(atMost: 30)
        kill(postmaster, SIGCONT)
        #expect(connectEnd != nil, "the job hung on a server that does not answer its connection")
        #expect(connectEnd.map { $0.status != 0 && $0.seconds < 15 } ?? false, "connect_timeout_seconds = 2: \(String(describing: connectEnd))")
        #expect(connecting.errorText.split(separator: "\n").filter { !$0.isEmpty }.count == 1, "one line: \(connecting.errorText)")

        // Mid-run: the job's own server process freezes while the job waits for an answer.
        let job = try BackgroundJob(Self.runArguments(config, t), environment: ["LEADSYNC_DATABASE_URL": t.url], directory: server.directory)
        try Self.waitForProgress(t, job: job)
        let backends = try t.rawRows("SELECT pid FROM pg_stat_activity WHERE application_name = 'leadsync' AND pid <> pg_backend_pid()")
            .compactMap { $0.values.first?.intValue }.map { pid_t($0) }
        #expect(!backends.isEmpty)
        for pid in backends { kill(pid, SIGSTOP) }
        let frozenAt = Date()
        let ended = job.wait(atMost: 60)
        let waited = Date().timeIntervalSince(frozenAt)
        for pid in backends { kill(pid, SIGCONT) }
        #expect(ended != nil, "the job hung on a frozen server")
        #expect(ended.map { $0.status != 0 } ?? false)
        // statement_timeout_ms = 1000, plus the 10 s the job allows for the network.
        #expect(waited < 25, "waited \(waited) s")
        #expect(job.errorText.contains("did not answer"), "\(job.errorText)")
        print("frozen server: the job ended after \(String(format: "%.1f", waited)) s: \(job.errorText)", terminator: "")
        print("frozen postmaster: connecting gave up after \(String(format: "%.1f", connectEnd?.seconds ?? 0)) s: \(connecting.errorText)", terminator: "")
        #expect(job.errorText.split(separator: "\n").filter { !$0.isEmpty }.count == 1, "one line: \(job.errorText)")
        for pid in backends { _ = try? t.scalar("SELECT pg_terminate_backend(\(pid))") }

        try ReliabilityTests.nextRunCompletesTheCorpus(t, config: config)
    }
}
