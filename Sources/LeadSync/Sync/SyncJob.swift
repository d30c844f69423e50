import Foundation
import Logging

/// The sync job (SYNC_RULES.md). A run:
/// 1. checks, before any row: the database's migrations, the mapping against the mirror
///    (`MappingCheck`), the owners (`OwnerResolver`);
/// 2. records itself in `sync_run` (`RunRecord`); a dry run records nothing, and does all that
///    follows in one transaction that it rolls back;
/// 3. brings the CRM key index up to date with the mirror (`CRMKeyIndex`), and confirms or
///    rejects the rows exported earlier as Heroku Connect left them (`Confirmations`);
/// 4. processes the captured contacts batch by batch (`BatchLoop` over `ContactStream`, whose
///    comment lists a batch's stages), each batch one transaction; then the key lookup's end of
///    run (SQLite merges its pending keys);
/// 5. processes the call events the same way (`BatchLoop` over `CallStream`), so a call from a
///    contact exported just now finds its record;
/// 6. finishes: the report (`ReportWriter`), and `sync_run`'s counts and status.
/// Any error leaves every uncommitted row pending and is rethrown after the run is recorded as failed.
public final class SyncJob {
    let db: any Database
    let config: Configuration
    let logger: Logger

    /// A job over `db` with `config`.
    public init(db: any Database, config: Configuration, logger: Logger = Logger(label: "leadsync")) {
        self.db = db
        self.config = config
        self.logger = logger
    }

    /// What the checks found, for the batches.
    private struct Checked {
        let phones: PhoneNormalizer
        let preparer: RowPreparer
        let owners: OwnerResolver
    }

    /// Runs as `options` say; returns what the run did.
    public func run(_ options: SyncOptions) throws -> SyncSummary {
        let checked = try check()
        let start = options.clock()
        var summary = SyncSummary()
        summary.mode = options.dryRun ? "dry-run" : options.mode.rawValue
        summary.dryRun = options.dryRun
        summary.startedAt = start
        let scope = try claimScope(options, start: start)
        let record = RunRecord(db: db, logger: logger)
        if options.dryRun {
            try db.begin(immediate: true)
        } else {
            try record.sweepAbandoned(now: start)
            summary.runID = try record.start(mode: options.mode, now: start, configChecksum: config.checksum)
        }
        let times = PhaseTimes()
        defer { logger.info("phase times", metadata: ["seconds": "\(times.description)"]) }
        var report: ReportWriter?
        do {
            report = try options.report.map {
                try ReportWriter(db: db, config: config, options: $0, runID: summary.runID, startedAt: start, dryRun: options.dryRun, times: times)
            }
            let lookup = keyLookup(options, times: times)
            try refreshKeys(lookup, phones: checked.phones, options: options, times: times, summary: &summary)
            if options.only != .calls {
                try confirm(options, report: report, times: times, summary: &summary)
                let stream = ContactStream(scope: scope, runID: summary.runID, runStartedAt: Timestamp.format(start), preparer: checked.preparer,
                                           lookup: lookup, owners: checked.owners,
                                           contactAccount: config.contactAccount, times: times,
                                           clock: options.clock, hooks: options.hooks)
                try process(stream, options: options, report: report, summary: &summary)
            }
            if !options.dryRun { try times.measure("keys.merge") { try lookup.finishRun(on: db) } }
            if options.mode != .push && options.only != .contacts {
                try processCalls(options, start: start, checked: checked, lookup: lookup, times: times, summary: &summary)
            }
            summary.finishedAt = options.clock()
            if let report { summary.report = try times.measure("report") { try report.finish(summary) } }
            if options.dryRun { db.rollback() }
        } catch {
            report?.discard()
            db.rollback()
            if !options.dryRun {
                summary.finishedAt = options.clock()
                try? record.finish(summary, status: "failed", error: String(describing: error))
            }
            throw error
        }
        if !options.dryRun { try record.finish(summary, status: "succeeded", error: nil) }
        return summary
    }

    /// The checks before any row is touched; each failure is one line saying what to do.
    private func check() throws -> Checked {
        // A newer binary on a database not yet migrated to it stops here, with what to do.
        let (missing, unknown) = try Migrator(db: db, options: ConnectionOptions()).compare(.job)
        guard missing.isEmpty else {
            throw UsageError("the database's leadsync tables are older than this leadsync (missing migration \(missing.joined(separator: ", "))): run `leadsync migrate` first")
        }
        // An older binary on a database a newer one migrated stops too: it would not keep what
        // the newer ones rely on (on SQLite, the triggers counting key index changes).
        guard unknown.isEmpty else {
            throw UsageError("the database's leadsync tables are newer than this leadsync (migration \(unknown.joined(separator: ", ")) applied by a newer version): run that version")
        }
        let phones = try PhoneNormalizer(defaultRegion: config.defaultRegion)
        let mirror = try MappingCheck(db: db, config: config).verify()
        let owners = try OwnerResolver(db: db, fallbackOwner: config.fallbackOwner, routing: config.routing,
                                       topManager: config.calls.profile == .deals ? config.calls.topManager : nil)
        return Checked(phones: phones, preparer: RowPreparer(config: config, phones: phones, maxLengths: mirror.lengths), owners: owners)
    }

    /// Which rows the run takes (SYNC_RULES.md §1); `push` stages its ids for the claim.
    private func claimScope(_ options: SyncOptions, start: Date) throws -> ClaimScope {
        switch options.mode {
        case .run:
            let settle = options.settleMinutes ?? config.settleMinutes
            return .window(cutoff: Timestamp.format(start.addingTimeInterval(-Double(settle) * 60)), since: nil, until: nil)
        case .backfill:
            return .window(cutoff: "9999-12-31T23:59:59.999Z", since: options.since.map(Timestamp.format), until: options.until.map(Timestamp.format))
        case .push:
            try db.run("push_request_stage", [:])
            try db.run("push_request_clear", [:])
            try db.bulkLoad(table: "push_request", columns: ["external_id"], rows: Set(options.pushIDs).sorted().map { [.text($0)] })
            return .pushed
        }
    }

    /// The engine's key lookup: the one place the batches' stages tell the engines apart. A dry
    /// run keeps no key filter: its refresh is never committed, so the filter's connection would
    /// not see it. `times` gets the filter's builds (`keys.filter`).
    private func keyLookup(_ options: SyncOptions, times: PhaseTimes) -> any KeyLookup {
        switch db.engine {
        case .postgres: return PostgresKeyLookup()
        case .sqlite:
            return SQLiteKeyLookup(pendingLimit: options.pendingKeyLimit, filter: options.dryRun ? false : options.keyFilter,
                                   filterBuilt: options.hooks.keyFilterBuilt, times: times, logger: logger) { [self] in
                openAnother(for: "the filter of CRM keys; every key is looked up")
            }
        }
    }

    /// Brings the CRM key index up to date (SQLite also merges keys other runs left pending),
    /// in its own transaction, or the dry run's.
    private func refreshKeys(_ lookup: any KeyLookup, phones: PhoneNormalizer, options: SyncOptions, times: PhaseTimes,
                             summary: inout SyncSummary) throws {
        let refresh = {
            let stats = try CRMKeyIndex(db: self.db, phones: phones, times: times, pageSize: options.refreshPageSize,
                                        legalForms: self.config.contactAccount == .none ? nil : self.config.accountLegalForms).refresh()
            try lookup.startRun(on: self.db)
            return stats
        }
        let stats = try options.dryRun ? refresh() : db.transaction(commit: { try times.measure("refresh.commit", $0) }, refresh)
        summary.crmRecordsKeyed = stats.recordsRead
        summary.crmRecordsCurrent = stats.recordsCurrent
        logger.info("crm keys refreshed", metadata: ["records": "\(stats.recordsRead)", "current": "\(stats.recordsCurrent)",
                                                     "pruned": "\(stats.pruned)"])
    }

    /// Confirms or rejects the rows exported earlier (`run` and `backfill`, unless
    /// `confirmations = false`), in its own transaction or the dry run's; the rows that fail now
    /// count in this run's summary and report.
    private func confirm(_ options: SyncOptions, report: ReportWriter?, times: PhaseTimes, summary: inout SyncSummary) throws {
        guard config.confirmations, options.mode != .push else { return }
        let step = Confirmations(db: db, maxWaitMinutes: config.maxWaitMinutes, times: times)
        let outcome = try times.measure("confirmations") {
            try options.dryRun ? step.run(now: options.clock(), runID: summary.runID)
                : db.transaction { try step.run(now: options.clock(), runID: summary.runID) }
        }
        summary.confirmed = outcome.confirmed
        summary.rejected = outcome.failed.count
        summary.rejectedRows = outcome.failed.prefix(Confirmations.listed).map { ($0.captured.externalID, $0.errorCode ?? "", $0.errorMessage ?? "") }
        summary.failed += outcome.failed.count
        for row in outcome.failed { summary.failedByCode[row.errorCode ?? "", default: 0] += 1 }
        summary.unconfirmed = outcome.unconfirmed
        summary.unconfirmedRows = outcome.unconfirmedRows.map { ($0.externalID, $0.record, $0.exportedAt) }
        try report?.add(outcome.failed)
    }

    /// Runs `stream`'s batches, adding each committed one to the summary and the report.
    private func process(_ stream: ContactStream, options: SyncOptions, report: ReportWriter?, summary: inout SyncSummary) throws {
        let total = try options.progress == nil ? 0 : min(stream.scope.count(db), options.limit ?? .max)
        let loop = BatchLoop(stream: stream, main: SerializedConnection(db), openSecond: { [self] in
            openAnother(for: "for the claim ahead; the run's batches go one after another")
        }, batchSize: options.batchSize ?? config.batchSize, limit: options.limit, dryRun: options.dryRun, logger: logger, hooks: options.hooks)
        var processed = Set<String>()
        options.hooks.beforeRun?()
        try loop.run { result in
            summary.add(result)
            try report?.add(result.reportRows)
            if options.mode == .push { for row in result.reportRows { processed.insert(row.captured.externalID) } }
            options.progress?(summary.read, max(total, summary.read))
        }
        if options.mode == .push { summary.notProcessed = options.pushIDs.filter { !processed.contains($0) } }
    }

    /// Runs the call events' batches (CALL_RULES.md), adding each committed one to the summary.
    private func processCalls(_ options: SyncOptions, start: Date, checked: Checked, lookup: any KeyLookup, times: PhaseTimes,
                              summary: inout SyncSummary) throws {
        let settle = options.mode == .backfill ? nil : (options.settleMinutes ?? config.settleMinutes)
        let scope = CallScope(cutoff: settle.map { Timestamp.format(start.addingTimeInterval(-Double($0) * 60)) } ?? "9999-12-31T23:59:59.999Z",
                              runStartedAt: Timestamp.format(start),
                              since: options.mode == .backfill ? options.since.map(Timestamp.format) : nil,
                              until: options.mode == .backfill ? options.until.map(Timestamp.format) : nil)
        let stream = CallStream(scope: scope, runID: summary.runID, preparer: CallPreparer(config: config.calls, phones: checked.phones),
                                owners: checked.owners, lookup: lookup, config: config.calls, maxWaitMinutes: config.maxWaitMinutes, times: times, clock: options.clock)
        let loop = BatchLoop(stream: stream, main: SerializedConnection(db), openSecond: { [self] in
            openAnother(for: "for the claim ahead; the run's call batches go one after another")
        }, batchSize: options.batchSize ?? config.batchSize, limit: options.limit, dryRun: options.dryRun, logger: logger, hooks: options.hooks)
        var calls = CallSummary()
        try loop.run { calls.add($0) }
        summary.calls = calls
    }

    /// Another connection to the run's database; nil, with a warning saying what the run does
    /// without it (`without`), when the server refuses it (too many connections).
    private func openAnother(for purpose: String) -> (any Database)? {
        do {
            return try db.openAnother()
        } catch {
            logger.warning("no second connection \(purpose)", metadata: ["error": "\(error)"])
            return nil
        }
    }
}
