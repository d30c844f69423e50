import Foundation
import Logging

/// What a sync run is asked to do.
public struct SyncOptions: Sendable {
    /// The kind of run, recorded in `sync_run.mode`.
    public enum Mode: String, Sendable {
        case run, backfill, push
    }

    /// run, backfill or push.
    public var mode: Mode
    /// Compute and report every outcome, write nothing.
    public var dryRun = false
    /// Overrides the configured settle window (`run` only).
    public var settleMinutes: Int?
    /// Overrides the configured batch size.
    public var batchSize: Int?
    /// Stop after this many rows.
    public var limit: Int?
    /// `backfill`: only rows captured at or after / before these times.
    public var since: Date?
    /// See `since`.
    public var until: Date?
    /// `push`: the external ids.
    public var pushIDs: [String] = []
    /// The clock; tests fix it.
    public var clock: @Sendable () -> Date = { Date() }
    /// Where and how to write the run's report; nil writes none.
    public var report: ReportOptions?
    /// Called after each batch with rows done and rows in total (backfill's progress line).
    public var progress: (@Sendable (Int, Int) -> Void)?
    /// Mirror rows the CRM key refresh reads and keys a page at a time; tests make pages small.
    var refreshPageSize = CRMKeyIndex.defaultPageSize
    /// Pending keys (SQLite) a run holds before it merges them into the key indexes; tests make
    /// it small to merge between batches.
    var pendingKeyLimit = PendingKeyIndex.defaultLimit
    /// Whether the run keeps a KeyFilter (SQLite): nil weighs its rows against the CRM's records
    /// (`KeyFilter.worthBuilding`); tests force it either way.
    var keyFilter: Bool?

    /// Options for `mode` with every default.
    public init(mode: Mode) { self.mode = mode }
}

/// What a run did, for the summary, the report and `sync_run`.
public struct SyncSummary: Sendable {
    /// `sync_run.id` (0 for a dry run, which records nothing).
    public var runID: Int64 = 0
    /// run, backfill, push, or dry-run.
    public var mode = ""
    /// Whether nothing was written.
    public var dryRun = false
    /// When it started and ended.
    public var startedAt = Date()
    /// See `startedAt`.
    public var finishedAt = Date()
    /// Rows claimed.
    public var read = 0
    /// Rows exported (written to the mirror, or found there already).
    public var exported = 0
    /// Rows failed.
    public var failed = 0
    /// Rows skipped (none yet: every claimed row ends exported or failed).
    public var skipped = 0
    /// Exported rows whose phone matches a CRM record with another surname.
    public var possibleDuplicates = 0
    /// Failed rows per error code.
    public var failedByCode: [String: Int] = [:]
    /// Exported rows per owner source (`user`, `fallback`).
    public var ownersBySource: [String: Int] = [:]
    /// `push`: ids given that were not processed (unknown, or already exported).
    public var notProcessed: [String] = []
    /// CRM records (re)keyed by the refresh.
    public var crmRecordsKeyed = 0
    /// Changed CRM records the refresh left alone: their keys were current (a batch wrote them).
    public var crmRecordsCurrent = 0
    /// Batches claimed on the run's second connection while the batch before was written, and
    /// written as claimed (0 in dry runs, pushes, or without a second connection; on SQLite a
    /// claim ahead that another writer overtook is claimed again, and not counted).
    public var batchesClaimedAhead = 0
    /// Batches that caught up on the batch before them from memory (see `WrittenBatch`).
    public var batchesCaughtUpInMemory = 0
    /// Of those, batches decided on the claim's thread while the batch before them was written
    /// (see `DecidedAhead`).
    public var batchesDecidedAhead = 0
    /// Times the run built its filter of the CRM's indexed keys (SQLite, a large run: KeyFilter);
    /// more than once when a refresh or a merge changed the indexes during the run.
    public var keyFilterBuilds = 0
    /// The report written, if any.
    public var report: WrittenReport?

    /// Rows per second over the run's duration.
    public var rowsPerSecond: Double {
        let seconds = finishedAt.timeIntervalSince(startedAt)
        return seconds > 0 ? Double(read) / seconds : Double(read)
    }
}

/// What one committed batch did; merged into the run's summary only after its commit.
struct BatchOutcome {
    var rows: [ClaimedRow] = []
    var result: BatchWriter.Result?
    var possibleDuplicates = 0
    /// The batch's number on the batch clock (nil when nothing was written).
    var seq: Int64?
    /// What the next batch's catch-up needs of it (nil for a batch not written by `finishBatch`).
    var written: WrittenBatch?
    /// Whether its own catch-up was made in memory.
    var caughtUpInMemory = false
    /// Whether it was decided on the claim's thread (`DecidedAhead`).
    var decidedAhead = false
}

/// The sync job: checks its configuration against the database, refreshes the CRM keys, then
/// processes eligible rows batch by batch, each batch one transaction (SYNC_RULES.md).
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

    /// Runs; any error leaves every uncommitted row pending and is rethrown after the run is
    /// recorded as failed.
    public func run(_ options: SyncOptions) throws -> SyncSummary {
        // A newer binary on a database not yet migrated to it stops here, before any row, with
        // what to do (it used to fail later on a missing column, in SQL terms).
        let (missing, unknown) = try Migrator(db: db, options: ConnectionOptions()).compare(.job)
        guard missing.isEmpty else {
            throw UsageError("the database's leadsync tables are older than this leadsync (missing migration \(missing.joined(separator: ", "))): run `leadsync migrate` first")
        }
        // An older binary on a database a newer one migrated stops too: it would not keep what
        // the newer ones rely on (on SQLite, the count of key index changes of migration 013).
        guard unknown.isEmpty else {
            throw UsageError("the database's leadsync tables are newer than this leadsync (migration \(unknown.joined(separator: ", ")) applied by a newer version): run that version")
        }
        let phones = try PhoneNormalizer(defaultRegion: config.defaultRegion)
        let mirror = try MappingCheck(db: db, config: config).verify()
        let owners = try OwnerResolver(db: db, fallbackOwner: config.fallbackOwner)
        let preparer = RowPreparer(config: config, phones: phones, maxLengths: mirror.lengths)
        let times = PhaseTimes()
        let writer = BatchWriter(db: db, owners: owners, mirrorTypes: mirror.types, times: times)
        let batchSize = options.batchSize ?? config.batchSize
        let start = options.clock()
        var summary = SyncSummary()
        summary.mode = options.dryRun ? "dry-run" : options.mode.rawValue
        summary.dryRun = options.dryRun
        summary.startedAt = start
        let startText = Timestamp.format(start)

        let scope: ClaimScope
        switch options.mode {
        case .run:
            let settle = options.settleMinutes ?? config.settleMinutes
            scope = .window(cutoff: Timestamp.format(start.addingTimeInterval(-Double(settle) * 60)), since: nil, until: nil)
        case .backfill:
            scope = .window(cutoff: "9999-12-31T23:59:59.999Z", since: options.since.map(Timestamp.format), until: options.until.map(Timestamp.format))
        case .push:
            scope = .pushed
            try db.run("push_request_stage", [:])
            try db.run("push_request_clear", [:])
            try db.bulkLoad(table: "push_request", columns: ["external_id"], rows: Set(options.pushIDs).sorted().map { [.text($0)] })
        }
        // The rows the run will take: for the progress line, and on SQLite whether a filter of
        // the CRM's keys pays (KeyFilter).
        var total = 0
        if case .window(let cutoff, let since, let until) = scope, options.progress != nil || db.engine == .sqlite {
            total = try db.one("captured_contact_count_eligible", ["cutoff": .text(cutoff), "since": .optional(since), "until": .optional(until)])?.int("eligible") ?? 0
            if let limit = options.limit { total = min(total, limit) }
        }

        if options.dryRun {
            try db.begin(immediate: true)
        } else {
            try sweepAbandonedRuns(now: start)
            summary.runID = try db.transaction {
                let id = try db.one("sync_run_start", ["mode": .text(options.mode.rawValue), "now": .text(startText),
                                                       "config_checksum": .text(config.checksum),
                                                       "host": .text(ProcessInfo.processInfo.hostName),
                                                       "pid": .integer(Int64(getpid()))])?["id"].intValue ?? 0
                try db.run("sync_run_owner_lock", ["id": .integer(id)])
                return id
            }
        }
        var processedIDs = Set<String>()
        defer { logger.info("phase times", metadata: ["seconds": "\(times.description)"]) }
        var report: ReportWriter?
        do {
            if let reportOptions = options.report {
                report = try ReportWriter(db: db, config: config, options: reportOptions, runID: summary.runID, startedAt: start,
                                          dryRun: options.dryRun, times: times)
            }
            // The run's second connection, for the claim ahead; opened now so that a full load
            // of the CRM's keys reads the mirror on it while the first connection writes.
            // Not for push: its ids are staged in a temporary table only this connection sees.
            let second = options.dryRun || options.mode == .push ? nil
                : openAnotherConnection(without: "for the claim ahead; the run uses one")
            // The refresh's commit is a phase of its own: on SQLite a full load's pages go to the
            // write-ahead log there, and the checkpoint copies them back.
            // On SQLite it also merges the keys a run left pending (one that failed or was
            // killed, or one running beside this one), so this run's index of pending keys starts
            // empty and stays small.
            var mergedAt: Int64?
            let stats = try inTransaction(!options.dryRun, commit: { try times.measure("refresh.commit", $0) }) {
                var index = CRMKeyIndex(db: db, phones: phones, times: times, stampsKeys: !options.dryRun, pageSize: options.refreshPageSize)
                index.reader = second
                let stats = try index.refresh()
                if !options.dryRun { mergedAt = try times.measure("keys.merge") { try CRMKeyIndex.mergePending(on: db) } }
                return stats
            }
            let pendingKeys = db.engine == .sqlite ? PendingKeyIndex(after: mergedAt ?? 0, limit: options.pendingKeyLimit) : nil
            // Merges the pending keys on `connection` (free: its batch has committed) once the
            // index holds its limit, so its memory stays bounded.
            func mergeIfFull(on connection: any Database) throws {
                guard let pendingKeys, pendingKeys.needsMerge, !options.dryRun else { return }
                try times.measure("keys.merge") {
                    if let merged = try connection.transaction({ try CRMKeyIndex.mergePending(on: connection) }) {
                        pendingKeys.reset(merged: merged)
                    }
                }
            }
            // A run of many rows against the CRM's records probes the key indexes only for the keys
            // a filter of them may hold (SQLite, where the run's new keys are pending).
            // Built on a connection of its own, on another thread, while the first batches are
            // claimed. Not in a dry run: its refresh's changes are not committed, so the
            // filter's connection would never see them.
            let wantsFilter = try pendingKeys != nil && !options.dryRun
                && (options.keyFilter ?? KeyFilter.worthBuilding(rows: total, records: db.one("crm_match_key_count")?.int("records") ?? 0))
            let keyFilter = wantsFilter ? openAnotherConnection(without: "for the filter of CRM keys; every key is looked up").map { KeyFilter(connection: $0, times: times) } : nil
            defer { keyFilter?.finish() }
            summary.crmRecordsKeyed = stats.recordsRead
            summary.crmRecordsCurrent = stats.recordsCurrent
            logger.info("crm keys refreshed", metadata: ["records": "\(stats.recordsRead)", "current": "\(stats.recordsCurrent)",
                                                         "pruned": "\(stats.pruned)"])
            var decider = DuplicateDecider()
            // Rows still to be processed one at a time after a batch the mirror rejected.
            var isolate = 0
            var lastClaimed: [ClaimedRow] = []
            // Every claim holds the claim lock until its batch holds the batch lock (finishBatch),
            // so batches are written in the order they were claimed, whichever connection or
            // process claimed them. An empty claim gives it back at once; a failed batch gives it
            // back after its rollback (a session lock outlives the transaction, and an aborted
            // transaction cannot release it).
            let runID = summary.runID
            let claim: BatchPipeline.Claim = { db, connection, want, after, snapshot, written in
                // A claim ahead in a snapshot (SQLite) notes the batch clock first: the read that
                // fixes the snapshot.
                let snapshotClock = snapshot ? try db.one("batch_clock_read")?["seq"].intValue ?? 0 : nil
                let rows = try times.measure("batch.claim") {
                    _ = try db.run("session_lock", ["lock_id": .integer(JobLock.claim.rawValue)])
                    var rows = try scope.claim(db, limit: want, runID: runID, after: after)
                    // A claim ahead that locks its rows (PostgreSQL) and comes back short claims
                    // again from the start, as a short batch ends the run: it may have passed
                    // rows before the batch being written that another process has given back
                    // since. Its own rows are not skipped (it holds their locks); any it locked
                    // but no longer takes stay pending when the batch commits.
                    if after != nil && !snapshot && rows.count < want { rows = try scope.claim(db, limit: want, runID: runID) }
                    if rows.isEmpty { Self.releaseClaimLock(db) }
                    // A snapshot's read ends here: held while the other connection writes, it
                    // would keep SQLite from reusing its write-ahead log, which then grew by the
                    // whole run (1 GB for a million rows).
                    if snapshotClock != nil { try db.commit() }
                    return rows
                }
                // A SQLite claim ahead prepares on its own thread only, leaving the other core to
                // the connection writing (on 2 cores both ways measured the same: 54.8, 55.1 s).
                let prepared = times.measure("batch.prepare") { () -> [PreparedRow] in
                    guard let shape = rows.first?.result.shape else { return [] }
                    let plan = preparer.plan(for: shape)
                    return snapshot ? rows.map { preparer.prepare($0, plan: plan) } : rows.parallelMap { preparer.prepare($0, plan: plan) }
                }
                // Its keys as the match takes them (SQLite's JSON parameters), built here rather than
                // under the write lock.
                let keyParams = rows.isEmpty || snapshotClock == nil || keyFilter != nil ? nil
                    : times.measure("batch.prepare") { Self.keyParameters(prepared) }
                // Matched before the batch lock, so that on the pipeline this overlaps the batch
                // before it; finishBatch catches up on what was committed in between. A snapshot's
                // batch is matched in a read of its own (the claim's read has ended), and caught
                // up only in memory: SQLite's catch-up query would read every key.
                let matched = rows.isEmpty ? nil : try times.measure("batch.match") { () throws -> BatchMatch in
                    guard snapshotClock != nil else { return try Self.match(prepared, on: db, runStartedAt: startText, pending: pendingKeys, filter: keyFilter) }
                    try db.begin(immediate: false)
                    defer { db.rollback() }
                    return try Self.match(prepared, on: db, runStartedAt: startText, keyParams: keyParams, pending: pendingKeys, filter: keyFilter)
                }
                // Its catch-up in memory needs its rows by key.
                let keyIndex = matched == nil ? nil : times.measure("batch.prepare") { BatchKeyIndex(prepared) }
                // Claimed ahead: decided here, while the server writes the batch before it, once
                // that batch has drawn its ids; caught up on it in memory when matched before it
                // committed. The decisions stand if nothing else commits before this batch's turn
                // (finishBatch).
                var decided: DecidedAhead?
                if let written, let matched, let keyIndex, let before = written.wait(), before.seq - 1...before.seq ~= matched.clock {
                    decided = times.measure("ahead.decide") {
                        var matches = matched.matches
                        if matched.clock < before.seq { keyIndex.catchUp(on: before, rows: prepared, matches: &matches) }
                        var decider = DuplicateDecider()
                        let decisions = decider.decide(prepared, matches: matches)
                        return DecidedAhead(after: before.seq, decisions: decisions, possibleDuplicates: decider.possibleDuplicates)
                    }
                    // On PostgreSQL its new records' ids (a sequence serves any connection) and its
                    // mirror rows too, off the path where batches wait for each other. (SQLite
                    // draws ids under the write lock; building its rows here measured no faster:
                    // its claim thread is as busy as its writer.)
                    if !snapshot, let decisions = decided?.decisions {
                        decided?.plan = try times.measure("ahead.rows") {
                            var plan = MirrorPlan(rows: prepared, decisions: decisions, owners: owners, now: Timestamp.format(options.clock()),
                                                  engine: db.engine)
                            try plan.assign(BatchWriter.drawIDs(plan.idCounts, on: db), rows: prepared)
                            return plan
                        }
                    }
                }
                return ClaimedBatch(db: db, connection: connection, want: want, rows: rows, prepared: prepared, matched: matched,
                                    keyParams: keyParams, snapshotClock: snapshotClock, keyIndex: keyIndex, decidedAhead: decided)
            }
            let pipeline = second.map { BatchPipeline(main: db, second: $0, claim: claim, release: Self.releaseClaimLock) }
            // The batch clock's value the last batch committed with: a batch claimed ahead in a
            // snapshot stands only if that batch alone was written since.
            var lastWritten: Int64?
            // The last batch committed, for the next one's catch-up in memory.
            var previous: WrittenBatch?
            defer { pipeline?.cancel() }
            // After a pipelined batch failed for a transient reason: the next batch goes the
            // sequential way, with its retries.
            var sequentialOnce = false
            while options.limit.map({ summary.read < $0 }) ?? true {
                var want = min(batchSize, (options.limit ?? Int.max) - summary.read)
                if isolate > 0 { want = 1 }
                let outcome: BatchOutcome
                var pipelined = false
                // The connection whose batch has just committed (the other may be claiming ahead).
                var idle = db
                do {
                    if let pipeline, isolate == 0, !sequentialOnce {
                        pipelined = true
                        let batch = try times.measure("batch.wait") { try pipeline.next(want: want, lastWritten: lastWritten) }
                        lastClaimed = batch.rows
                        // This batch, for the claim ahead to decide on once its ids are drawn (handed
                        // over as nil, if not by then, when that claim is taken or dropped).
                        let written = WrittenSoon()
                        do {
                            let after = min(batchSize, (options.limit ?? Int.max) - summary.read - batch.rows.count)
                            if batch.rows.count == want && after > 0 { pipeline.claimAhead(after: batch, want: after, written: written) }
                            let done = batch.rows.isEmpty ? BatchOutcome()
                                : try finishBatch(batch, previous: previous, decider: &decider, runStartedAt: startText, runID: summary.runID,
                                                  options: options, owners: owners, mirrorTypes: mirror.types, times: times, pending: pendingKeys, filter: keyFilter,
                                                  written: written)
                            try times.measure("batch.commit") { try batch.db.commit() }
                            idle = batch.db
                            outcome = done
                            if batch.claimedAhead { summary.batchesClaimedAhead += 1 }
                            releaseInBackground(consume batch)
                        } catch {
                            batch.db.rollback()
                            Self.releaseClaimLock(batch.db)
                            pipeline.cancel()
                            throw error
                        }
                    } else {
                        sequentialOnce = false
                        outcome = try withTransientRetry {
                            do {
                                return try batchTransaction(own: !options.dryRun) { () throws -> BatchOutcome in
                                    let batch = try claim(db, 0, want, nil, false, nil)
                                    lastClaimed = batch.rows
                                    guard !batch.rows.isEmpty else { return BatchOutcome() }
                                    return try finishBatch(batch, previous: previous, decider: &decider, runStartedAt: startText,
                                                           runID: summary.runID, options: options, owners: owners, mirrorTypes: mirror.types, times: times,
                                                           pending: pendingKeys, filter: keyFilter)
                                }
                            } catch {
                                Self.releaseClaimLock(db)
                                throw error
                            }
                        }
                        idle = db
                    }
                } catch let error as DatabaseError where pipelined && error.isTransient && !error.isConnectionGone {
                    logger.warning("transient database error, retrying the batch", metadata: ["code": "\(error.code)"])
                    sequentialOnce = true
                    continue
                } catch let error as DatabaseError where error.isDataRejection {
                    if want > 1 {
                        // One row's value broke the batch: redo these rows one by one, so only
                        // that row fails and the rest of the batch exports.
                        logger.warning("batch rejected by the database; isolating its rows", metadata: ["code": "\(error.code)"])
                        isolate = want
                        continue
                    }
                    guard let rejected = lastClaimed.first else { throw error }
                    outcome = try withTransientRetry {
                        try batchTransaction(own: !options.dryRun) { try reject(rejected.id, error: error, writer: writer, runID: summary.runID, now: options.clock()) }
                    }
                }
                if isolate > 0 { isolate -= 1 }
                try mergeIfFull(on: idle)
                lastWritten = outcome.seq
                // The batch before is freed in the background (see releaseInBackground).
                if let done = previous.take() { releaseInBackground(consume done) }
                previous = outcome.written
                if outcome.caughtUpInMemory { summary.batchesCaughtUpInMemory += 1 }
                if outcome.decidedAhead { summary.batchesDecidedAhead += 1 }
                guard let result = outcome.result else { break }
                summary.read += outcome.rows.count
                summary.exported += result.exported
                summary.failed += result.failed
                summary.possibleDuplicates += outcome.possibleDuplicates
                summary.failedByCode.merge(result.failedByCode, uniquingKeysWith: +)
                summary.ownersBySource.merge(result.ownersBySource, uniquingKeysWith: +)
                try report?.add(result.reportRows)
                if options.mode == .push { for row in outcome.rows { processedIDs.insert(row.externalID) } }
                options.progress?(summary.read, max(total, summary.read))
                logger.debug("batch done", metadata: ["rows": "\(outcome.rows.count)", "total": "\(summary.read)"])
                if outcome.rows.count < want && isolate == 0 { break }
            }
            keyFilter?.finish()
            summary.keyFilterBuilds = keyFilter?.builds ?? 0
            if let failure = keyFilter?.buildFailure {
                logger.warning("the filter of CRM keys could not be built; every key was looked up", metadata: ["error": "\(failure)"])
            }
            if options.mode == .push { summary.notProcessed = options.pushIDs.filter { !processedIDs.contains($0) } }
            // The run's pending keys go into the key indexes at once (SQLite): each index page is
            // written once, where each batch would have written most of them.
            if pendingKeys != nil && !options.dryRun {
                pipeline?.cancel()
                _ = try times.measure("keys.merge") { try db.transaction { try CRMKeyIndex.mergePending(on: db) } }
            }
            summary.finishedAt = options.clock()
            if let report {
                summary.report = try times.measure("report") { try report.finish(summary) }
            }
            if options.dryRun { db.rollback() }
        } catch {
            report?.discard()
            db.rollback()
            if !options.dryRun {
                try? finish(&summary, status: "failed", error: String(describing: error), now: options.clock())
            }
            throw error
        }
        if !options.dryRun { try finish(&summary, status: "succeeded", error: nil, now: summary.finishedAt) }
        return summary
    }

    /// Another connection for the run (the claim ahead's, the key filter's); nil when the server
    /// refuses it (too many connections), with a warning saying what the run does without it
    /// (`without`): the batches run one after another on one connection, or every key is looked up.
    private func openAnotherConnection(without: String) -> (any Database)? {
        do {
            return try db.openAnother()
        } catch {
            logger.warning("no connection \(without)", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// Releases the claim lock of a claim that ends without reaching the batch lock (empty, or
    /// failed); harmless when it is not held.
    static func releaseClaimLock(_ db: any Database) {
        _ = try? db.run("session_unlock", ["lock_id": .integer(JobLock.claim.rawValue)])
    }

    /// Decides and writes a claimed and matched batch in its open transaction, under the batch
    /// lock: one batch at a time across connections and processes. The batch was matched before
    /// it held the lock; it first catches up on the batches committed since (by the batch clock),
    /// so it sees every record written before it: in memory when that is only `previous`, else
    /// with batch_match_since (PostgreSQL) or a new match (SQLite).
    /// `previous`: the batch this process committed last, if any. `written`: where to hand this
    /// batch over, once its ids are drawn, to the batch claimed ahead of it.
    private func finishBatch(_ batch: ClaimedBatch, previous: WrittenBatch?, decider: inout DuplicateDecider, runStartedAt: String,
                             runID: Int64, options: SyncOptions, owners: OwnerResolver, mirrorTypes: [TargetObject: [String: CopyType]], times: PhaseTimes,
                             pending: PendingKeyIndex?, filter: KeyFilter?, written handOver: WrittenSoon? = nil) throws -> BatchOutcome {
        let seq = try times.measure("batch.lock") { () throws -> Int64 in
            _ = try batch.db.run("advisory_lock", ["lock_id": .integer(JobLock.batch.rawValue)])
            _ = try batch.db.run("session_unlock", ["lock_id": .integer(JobLock.claim.rawValue)])
            return try batch.db.one("batch_clock_advance")?["seq"].intValue ?? 0
        }
        var matched = try batch.matched ?? times.measure("batch.match") {
            try Self.match(batch.prepared, on: batch.db, runStartedAt: runStartedAt, keyParams: batch.keyParams, pending: pending,
                           filter: filter)
        }
        // One batch committed since the match, and it was this process's last: its records are
        // all the match missed, and the catch-up is made in memory.
        let inMemory = batch.keyIndex != nil && previous?.seq == seq - 1 && matched.clock == seq - 2
        if !inMemory && seq - 1 > matched.clock && batch.db.engine == .sqlite {
            // SQLite, matched ahead, and more was written since: matched again, under the lock
            // (SQLite's catch-up query would read every key).
            matched = try times.measure("batch.match") {
                try Self.match(batch.prepared, on: batch.db, runStartedAt: runStartedAt, keyParams: batch.keyParams, pending: pending,
                           filter: filter)
            }
        }
        // Decided ahead, on every record committed before its turn: the batch before it, this
        // process's, was the last committed.
        let ahead = batch.decidedAhead.flatMap { $0.after == seq - 1 && previous?.seq == seq - 1 ? $0 : nil }
        let decisions = try ahead?.decisions ?? decide(batch, matched, previous: inMemory ? previous : nil, seq: seq,
                                                      decider: &decider, runStartedAt: runStartedAt, times: times)
        let writer = BatchWriter(db: batch.db, owners: owners, mirrorTypes: mirrorTypes, times: times)
        let now = ahead?.plan?.now ?? Timestamp.format(options.clock())
        let systemmodstamp = batch.db.engine == .postgres ? Timestamp.postgresText(now) : now
        func written(_ ids: [Int64?]) -> WrittenBatch {
            WrittenBatch(seq: seq, systemmodstamp: systemmodstamp, rows: batch.prepared, ids: ids)
        }
        var result = try times.measure("batch.write") {
            try writer.write(batch.prepared, decisions, now: now, runID: runID, batchSeq: seq, planned: ahead?.plan) {
                handOver?.handOver(written($0))
            }
        }
        let done = written(result.newIDs)
        result.newIDs = []
        return BatchOutcome(rows: batch.rows, result: result, possibleDuplicates: ahead?.possibleDuplicates ?? decider.possibleDuplicates,
                            seq: seq, written: done, caughtUpInMemory: inMemory, decidedAhead: ahead != nil)
    }

    /// Catches a batch up on the records committed since its match (in memory on `previous`
    /// when given, else with batch_match_since), then decides it.
    private func decide(_ batch: ClaimedBatch, _ matched: BatchMatch, previous: WrittenBatch?, seq: Int64,
                        decider: inout DuplicateDecider, runStartedAt: String, times: PhaseTimes) throws -> [Decision] {
        var matches = matched.matches
        if let previous, let index = batch.keyIndex {
            times.measure("batch.catchup") { index.catchUp(on: previous, rows: batch.prepared, matches: &matches) }
        } else if seq - 1 > matched.clock {
            try times.measure("batch.catchup") {
                try batch.db.run("planner_nestloop_off", [:])
                defer { _ = try? batch.db.run("planner_nestloop_on", [:]) }
                let params = matched.keyParams.merging(["after_seq": .integer(matched.clock), "run_started_at": .text(runStartedAt)]) { $1 }
                for row in try batch.db.rows("batch_match_since", params) {
                    CRMMatch.keepBest(CRMMatch(row), in: &matches[row["row_id"].intValue ?? 0, default: []])
                }
            }
        }
        return times.measure("batch.decide") { decider.decide(batch.prepared, matches: matches) }
    }

    /// Matches a batch's keys against the CRM's in one statement: the best record per row, kind,
    /// surname agreement and origin (the query ranks them), with the batch clock read just before
    /// and the key parameters the catch-up needs too.
    /// `keyParams`: the batch's keys as `keyParameters` gave them, when that was done ahead.
    /// `pending`: the run's index of pending keys (SQLite), brought up to date in the same
    /// transaction or snapshot as the match, which reads its candidates by rowid. `filter`: the
    /// run's KeyFilter (SQLite, a large run), if it is ready and as new as this read; the keys
    /// are then written here, filtered, rather than taken from `keyParams`.
    private static func match(_ rows: [PreparedRow], on db: any Database, runStartedAt: String,
                              keyParams: [String: SQLValue]? = nil, pending: PendingKeyIndex?, filter: KeyFilter?) throws -> BatchMatch {
        var match = BatchMatch()
        let clock = try db.one("batch_clock_read")
        match.clock = clock?["seq"].intValue ?? 0
        try pending?.refresh(on: db)
        let bits = filter?.current(stamp: clock?["keys_changed"].intValue ?? 0)
        // Each key hashed once, for the filter and the pending keys both (hashed even while no
        // key is pending: the other connection's thread may add some before `parameter` reads).
        let hashes = bits != nil || pending != nil ? rows.matchKeyHashes() : []
        if filter != nil {
            match.keyParams = keyParameters(rows, filter: bits.map { ($0, hashes) })
        } else {
            match.keyParams = try keyParams ?? stageKeys(rows, on: db)
        }
        var params = match.keyParams.merging(["run_started_at": .text(runStartedAt)]) { $1 }
        if let pending { params["pending_keys"] = pending.parameter(for: rows, hashes: hashes) }
        for row in try db.rows("batch_match", params) {
            match.matches[row["row_id"].intValue ?? 0, default: []].append(CRMMatch(row))
        }
        return match
    }

    /// The keys of a batch's valid rows, for the match and the catch-up. PostgreSQL: loaded with
    /// COPY into `batch_key`, which both read in the batch's transaction (parsing them from JSON
    /// twice cost 10-20 ms a batch); no parameter. SQLite: the `email_keys` and `phone_keys`
    /// parameters, as JSON (a temporary table made its match twice as slow, and its catch-up
    /// never runs).
    private static func stageKeys(_ rows: [PreparedRow], on db: any Database) throws -> [String: SQLValue] {
        guard db.engine == .postgres else { return keyParameters(rows) }
        var keys: [[SQLValue]] = []
        rows.forEachMatchKey { i, kind, key in
            keys.append([.integer(rows[i].row.id), kind == PreparedRow.emailKind ? "e" : "p", .text(key), .text(rows[i].lastNameKey)])
        }
        try db.run("batch_key_stage", [:])
        try db.run("batch_key_clear", [:])
        try db.bulkLoad(table: "batch_key", columns: ["row_id", "kind", "key", "lastname_key"], rows: keys)
        return [:]
    }

    /// SQLite's match parameters: the keys of a batch's valid rows as JSON (BatchJSON's layout,
    /// `[[row_id, kind, key, lastname_key], …]`), the email keys and the phone keys apart, as
    /// each probes its own index (one array of both, read once per index, made the match twice as
    /// slow). Written straight from the rows; it needs no connection, so a claim ahead builds it
    /// on its own thread.
    /// `filter`: the run's KeyFilter, when it keeps one, with the rows' `matchKeyHashes()`: only
    /// the keys it may hold are probed.
    static func keyParameters(_ rows: [PreparedRow], filter: (bits: KeyFilter.Bits, hashes: [UInt64])? = nil) -> [String: SQLValue] {
        var emails: [UInt8] = [0x5B], phones: [UInt8] = [0x5B]
        emails.reserveCapacity(filter == nil ? rows.count * 60 : 1024)
        phones.reserveCapacity(filter == nil ? rows.count * 90 : 1024)
        var k = 0
        rows.forEachMatchKey { i, kind, key in
            defer { k += 1 }
            if let filter, !filter.bits.mayContain(filter.hashes[k]) { return }
            if kind == PreparedRow.emailKind {
                BatchJSON.appendKey(rows[i].row.id, kind, key, rows[i].lastNameKey, to: &emails)
            } else {
                BatchJSON.appendKey(rows[i].row.id, kind, key, rows[i].lastNameKey, to: &phones)
            }
        }
        emails.append(0x5D)
        phones.append(0x5D)
        return ["email_keys": .text(String(decoding: emails, as: UTF8.self)), "phone_keys": .text(String(decoding: phones, as: UTF8.self))]
    }

    private func finish(_ summary: inout SyncSummary, status: String, error: String?, now: Date) throws {
        summary.finishedAt = now
        try db.transaction {
            try db.run("sync_run_finish", [
                "id": .integer(summary.runID), "now": .text(Timestamp.format(now)), "status": .text(status),
                "read_count": .integer(Int64(summary.read)), "exported_count": .integer(Int64(summary.exported)),
                "failed_count": .integer(Int64(summary.failed)), "skipped_count": .integer(Int64(summary.skipped)),
                "possible_duplicate_count": .integer(Int64(summary.possibleDuplicates)),
                "report_path": .optional(summary.report?.folder.path),
                "error": .optional(error),
            ])
        }
    }

    /// Marks runs whose process is gone (killed, or cut off from the server before it could
    /// record its end) as failed, so `status` never shows them running for ever. PostgreSQL: the
    /// run's session lock is free. SQLite: its process no longer exists on this host.
    private func sweepAbandonedRuns(now: Date) throws {
        let host = ProcessInfo.processInfo.hostName
        try db.transaction {
            for row in try db.rows("sync_run_running") {
                guard let id = row["id"].intValue else { continue }
                let gone: Bool
                if db.engine == .sqlite {
                    let pid = row.int("pid")
                    gone = row.string("host") == host && pid.map { kill(pid_t($0), 0) != 0 && errno == ESRCH } ?? false
                } else {
                    gone = isTrue(try db.one("sync_run_owner_gone", ["id": .integer(id)])?["gone"] ?? .null)
                }
                guard gone else { continue }
                try db.run("sync_run_abandon", ["id": .integer(id), "now": .text(Timestamp.format(now)),
                                                "error": .text("abandoned: the process running it ended before it finished (killed, or it lost the database); its unfinished rows stayed pending")])
                logger.info("marked an abandoned run as failed", metadata: ["run": "\(id)"])
            }
        }
    }

    /// Runs `body` in its own transaction, or inside the one already open (a dry run).
    private func inTransaction<T>(_ own: Bool, commit: (() throws -> Void) throws -> Void, _ body: () throws -> T) throws -> T {
        own ? try db.transaction(immediate: true, commit: commit, body) : try body()
    }

    /// One batch: its own transaction, or a savepoint inside a dry run's transaction, so a
    /// rejected batch can be undone either way.
    private func batchTransaction<T>(own: Bool, _ body: () throws -> T) throws -> T {
        if own { return try db.transaction(immediate: true, body) }
        try db.executeScript("SAVEPOINT leadsync_batch", name: "savepoint")
        do {
            let value = try body()
            try db.executeScript("RELEASE SAVEPOINT leadsync_batch", name: "savepoint")
            return value
        } catch {
            try? db.executeScript("ROLLBACK TO SAVEPOINT leadsync_batch; RELEASE SAVEPOINT leadsync_batch", name: "savepoint")
            throw error
        }
    }

    /// Retries work that failed for a transient reason (serialisation failure, deadlock, server
    /// starting, database busy) with jittered exponential backoff; other errors pass through.
    private func withTransientRetry<T>(attempts: Int = 5, _ body: () throws -> T) throws -> T {
        var attempt = 0
        while true {
            do {
                return try body()
            } catch let error as DatabaseError where error.isTransient && !error.isConnectionGone && attempt + 1 < attempts {
                attempt += 1
                let delay = 0.05 * pow(2, Double(attempt)) * Double.random(in: 0.5...1.5)
                logger.warning("transient database error, retrying", metadata: ["code": "\(error.code)", "attempt": "\(attempt)"])
                Thread.sleep(forTimeInterval: delay)
            }
        }
    }

    /// Row `id` alone broke its batch: it fails with the database's reason, nothing is written
    /// for it, and the run goes on.
    private func reject(_ id: Int64, error: DatabaseError, writer: BatchWriter, runID: Int64, now: Date) throws -> BatchOutcome {
        try db.run("advisory_lock", ["lock_id": .integer(JobLock.batch.rawValue)])
        let seq = try db.one("batch_clock_advance")?["seq"].intValue ?? 0
        let rows = try db.rows("captured_contact_claim_id", ["id": .integer(id)]).claimedRows
        guard let row = rows.first else { return BatchOutcome(rows: [], result: BatchWriter.Result(), possibleDuplicates: 0) }
        let failure = RowFailure(code: "crm_rejected",
                                 message: "The CRM refused the record (\(error.engine.displayName) \(error.code): \(error.message)).")
        let prepared = PreparedRow(row: row, target: .lead, emailKey: nil, phoneKeys: [], lastNameKey: "", failure: failure, values: [], ownerColumns: [])
        let result = try writer.write([prepared], [.failed(failure, crmObject: nil, crmID: nil, refExternalID: nil, record: nil)],
                                      now: Timestamp.format(now), runID: runID, batchSeq: seq)
        return BatchOutcome(rows: rows, result: result, possibleDuplicates: 0)
    }
}
