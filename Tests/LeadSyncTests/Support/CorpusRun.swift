import Foundation
import Testing
@testable import LeadSync

/// The public corpus run in-process, and what a single run of it gives: the outcomes of
/// `expected.csv`, each record written once, the claim lock free.
enum CorpusRun {
    /// A run of `mode` over the corpus (loaded with `Corpus.load`) in batches of `batchSize`;
    /// `configure` sets anything else (hooks, a limit, the key filter).
    static func run(_ db: any Database, _ mode: SyncOptions.Mode = .run, batchSize: Int, limit: Int? = nil, pushIDs: [String] = [],
                    configure: (inout SyncOptions) -> Void = { _ in }) throws -> SyncSummary {
        var options = SyncOptions(mode: mode)
        options.settleMinutes = 0
        options.batchSize = batchSize
        options.limit = limit
        options.pushIDs = pushIDs
        configure(&options)
        return try SyncJob(db: db, config: try Configuration.parse(Corpus.config, file: "corpus.toml")).run(options)
    }

    /// Whether another session can take the claim lock: a batch that kept it would stop every
    /// other process's claims.
    static func claimLockIsFree(_ t: TestDatabase) throws -> Bool {
        guard t.engine == .postgres else { return true }
        return try t.scalar("SELECT pg_try_advisory_lock(\(JobLock.claim.rawValue))") == "t"
    }

    /// Every row (or every row of `only`) has the outcome expected.csv gives it, no record was
    /// written twice, and the claim lock is free.
    static func expectSingleRunOutcomes(_ t: TestDatabase, only: Set<String>? = nil) throws {
        let actual = try Corpus.outcomes(t)
        let expected = try Corpus.records("expected.csv").filter { only?.contains($0["external_id"] ?? "") ?? true }
        #expect(expected.count == only?.count ?? 1998)
        let mismatches = Corpus.mismatches(expected, actual)
        #expect(mismatches.isEmpty, "\(mismatches.count) differences, e.g. \(mismatches.prefix(3))")
        #expect(try t.scalar("SELECT count(leadsync_id__c) - count(DISTINCT leadsync_id__c) FROM lead") == "0")
        #expect(try claimLockIsFree(t))
    }

    /// The external ids in processing order.
    static func processingOrder(_ t: TestDatabase) throws -> [String] {
        try t.rawRows("SELECT external_id FROM captured_contact ORDER BY captured_at, id").compactMap { $0.string("external_id") }
    }

    /// A row of batch `batch` (0-based) of `size` rows in processing order that the corpus
    /// exports with an email: its external id and email key.
    static func exportedRowWithEmail(_ t: TestDatabase, batch: Int, size: Int = 97) throws -> (row: String, key: String) {
        let exported = Set(try Corpus.records("expected.csv").filter { $0["status"] == "exported" }.compactMap { $0["external_id"] })
        let order = try t.rawRows("SELECT external_id, email FROM captured_contact ORDER BY captured_at, id")
            .map { ($0.string("external_id") ?? "", MatchKeys.email($0.string("email"))) }
        let (row, email) = try #require(order[(batch * size)..<((batch + 1) * size)].first { exported.contains($0.0) && $0.1 != nil })
        return (row, try #require(email))
    }
}
