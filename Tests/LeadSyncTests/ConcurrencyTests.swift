import Foundation
import Testing
@testable import LeadSync

/// Several `leadsync run` processes over the same rows give exactly the outcomes of one run:
/// no row twice, no duplicate exported twice.
@Suite struct ConcurrencyTests {
    @Test(arguments: TestEngine.available)
    func concurrentRunsGiveTheSingleRunOutcomes(engine: TestEngine) throws {
        let processes = engine == .postgres ? 4 : 2
        for _ in 0..<Soak.rounds { try withTestDatabase(engine) { t in
            let config = try Corpus.load(into: t)
            let errors = try Self.runConcurrently(t, config: config, processes: processes)
            #expect(errors.isEmpty, "\(errors)")
            let expected = try Corpus.records("expected.csv")
            let mismatches = Corpus.mismatches(expected, try Corpus.outcomes(t))
            #expect(mismatches.isEmpty, "\(mismatches.count) differences from a single run, e.g. \(mismatches.prefix(5))")
            #expect(try t.scalar("SELECT count(*) FROM sync_run WHERE status = 'succeeded'") == String(processes))
            #expect(try t.scalar("SELECT sum(read_count) FROM sync_run") == "1998", "every row read once")
            #expect(try t.scalar("SELECT count(leadsync_id__c) - count(DISTINCT leadsync_id__c) FROM lead") == "0")
            let exportedLeads = expected.filter { $0["status"] == "exported" && $0["crm_object"] == "lead" }.count
            #expect(try t.scalar("SELECT count(*) FROM lead WHERE leadsync_id__c IS NOT NULL") == String(exportedLeads))
        } }
    }

    /// SYNC_RULES.md §10–11 across processes: the phase-2 corpus run by several processes gives
    /// the owners of one run (each routing rule's rotation continues in processing order) and its
    /// accounts (none created twice for one key).
    @Test(arguments: TestEngine.available)
    func concurrentRunsGiveTheSingleRunOwnersAndAccounts(engine: TestEngine) throws {
        let processes = engine == .postgres ? 4 : 2
        for _ in 0..<Soak.rounds { try withTestDatabase(engine) { t in
            let config = try Corpus.load(into: t, corpus: Corpus.phase2)
            let errors = try Self.runConcurrently(t, config: config, processes: processes)
            #expect(errors.isEmpty, "\(errors)")
            let expected = try Corpus.records("expected.csv", corpus: Corpus.phase2)
            let mismatches = Corpus.mismatches(expected, try Corpus.outcomes(t))
            #expect(mismatches.isEmpty, "\(mismatches.count) differences from a single run, e.g. \(mismatches.prefix(8))")
            let created = try Corpus.records("expected_accounts.csv", corpus: Corpus.phase2).count
            let preexisting = try Corpus.records("accounts.csv", corpus: Corpus.phase2).filter { !($0["leadsync_id__c"] ?? "").isEmpty }.count
            #expect(try t.scalar("SELECT count(*) FROM account WHERE leadsync_id__c IS NOT NULL") == String(created + preexisting))
            #expect(try t.scalar("SELECT sum(read_count) FROM sync_run") == String(expected.count), "every row read once")
        } }
    }

    /// Starts `processes` runs of `leadsync run` at once over `t` and waits for them; returns the
    /// standard error of those that failed.
    static func runConcurrently(_ t: TestDatabase, config: String, processes: Int, batchSize: Int = 97, extra: [String] = []) throws -> [String] {
        var env = ProcessInfo.processInfo.environment
        env["LEADSYNC_DATABASE_URL"] = t.url
        let running = try (0..<processes).map { _ in
            let p = Process()
            p.executableURL = CLI.executable
            p.arguments = ["run", "--settle-minutes", "0", "--batch-size", String(batchSize), "--config", config,
                           "--report-dir", t.directory.appendingPathComponent("reports").path] + extra
            p.environment = env
            p.standardOutput = FileHandle.nullDevice
            let err = Pipe()
            p.standardError = err
            try p.run()
            return (p, err)
        }
        var errors: [String] = []
        for (p, err) in running {
            let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            if p.terminationStatus != 0 { errors.append(text) }
        }
        return errors
    }
}
