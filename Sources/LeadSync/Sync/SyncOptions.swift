import Foundation

/// What a sync run is asked to do.
public struct SyncOptions: Sendable {
    /// The kind of run, recorded in `sync_run.mode`.
    public enum Mode: String, Sendable {
        case run, backfill, push
    }

    /// Which staged rows a run or backfill processes (`--only`); nil: captured contacts, then
    /// call events. `push` takes captured contacts only.
    public enum Streams: String, Sendable { case contacts, calls }

    /// run, backfill or push.
    public var mode: Mode
    /// `--only contacts` or `--only calls`; nil: both.
    public var only: Streams?
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
    /// Called after each batch with rows done and rows in total (backfill's progress line); the
    /// total is counted only when this is set.
    public var progress: (@Sendable (Int, Int) -> Void)?
    /// Mirror rows the CRM key refresh reads and keys a page at a time; tests make pages small.
    var refreshPageSize = CRMKeyIndex.defaultPageSize
    /// Pending keys (SQLite) a run holds before it merges them into the key indexes; tests make
    /// it small to merge between batches.
    var pendingKeyLimit = PendingKeyIndex.defaultLimit
    /// Whether a run of many batches keeps a KeyFilter (SQLite): nil weighs its rows against the
    /// CRM's records (`KeyFilter.worthBuilding`); tests force it either way.
    var keyFilter: Bool?
    /// Points where tests force an ordering (another writer between two stages); none in a real run.
    var hooks = SyncHooks()

    /// Options for `mode` with every default.
    public init(mode: Mode) { self.mode = mode }
}

/// Where a test may act in the middle of a run, to force an ordering that otherwise depends on
/// timing: each is called on the thread that reached the point, and the run waits for it.
struct SyncHooks: Sendable {
    /// The key index is refreshed; the first batch is about to be claimed.
    var beforeRun: (@Sendable () -> Void)?
    /// A batch was claimed ahead (its rows read, not yet written): its first and last row ids.
    var claimedAhead: (@Sendable (_ first: Int64, _ last: Int64) -> Void)?
    /// A batch holds the batch lock and is about to be matched: its row count.
    var beforeMatch: (@Sendable (_ rows: Int) -> Void)?
    /// A batch is written and about to commit: its number in the run (0 for the first).
    var beforeCommit: (@Sendable (_ batch: Int) -> Void)?
    /// A key filter (SQLite) was built, and is ready for the next match.
    var keyFilterBuilt: (@Sendable () -> Void)?
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
    /// Exported rows per owner source (`assigned`, `user`, `routing`, `fallback`).
    public var ownersBySource: [String: Int] = [:]
    /// Routed rows per routing rule.
    public var ownersByRule: [String: Int] = [:]
    /// Rows exported earlier that Salesforce confirmed in this run (§9).
    public var confirmed = 0
    /// Rows exported earlier that failed in this run: Salesforce rejected them, or their mirror
    /// row is gone (also in `failed` and `failedByCode`).
    public var rejected = 0
    /// The first of them, with Salesforce's reason.
    public var rejectedRows: [(externalID: String, errorCode: String, message: String)] = []
    /// Rows Salesforce has not confirmed past `max_wait_minutes`, and the first of them.
    public var unconfirmed = 0
    public var unconfirmedRows: [(externalID: String, record: String, exportedAt: String)] = []
    /// What the run did to call events (CALL_RULES.md), nil when it processed none.
    public var calls: CallSummary?
    /// `push`: ids given that were not processed (unknown, or already exported).
    public var notProcessed: [String] = []
    /// CRM records (re)keyed by the refresh.
    public var crmRecordsKeyed = 0
    /// Changed CRM records the refresh left alone: their keys were current (a batch wrote them).
    public var crmRecordsCurrent = 0
    /// The report written, if any.
    public var report: WrittenReport?

    /// Rows per second over the run's duration.
    public var rowsPerSecond: Double {
        let seconds = finishedAt.timeIntervalSince(startedAt)
        return seconds > 0 ? Double(read) / seconds : Double(read)
    }

    /// Adds one committed batch's counts.
    mutating func add(_ result: BatchResult) {
        read += result.rows
        exported += result.exported
        failed += result.failed
        possibleDuplicates += result.possibleDuplicates
        failedByCode.merge(result.failedByCode, uniquingKeysWith: +)
        ownersBySource.merge(result.ownersBySource, uniquingKeysWith: +)
        ownersByRule.merge(result.ownersByRule, uniquingKeysWith: +)
    }
}

/// What a run did to call events (CALL_RULES.md §10), for its summary and report.
public struct CallSummary: Sendable {
    public var read = 0
    public var logged = 0
    /// Events waiting for a record's sfid after this run (§8).
    public var waiting = 0
    public var skippedByCode: [String: Int] = [:]
    public var failedByCode: [String: Int] = [:]
    /// Tasks written.
    public var tasks = 0
    /// Records created per mirror table (lead, contact, account, case, opportunity).
    public var created: [String: Int] = [:]
    /// Per agent (`agent_email` as typed, trimmed): events by status.
    public var perAgent: [String: [String: Int]] = [:]
    /// The deals profile: tasks per manager (owner sfid), completed and open; UTM tags filled.
    public var tasksPerManager: [String: [String: Int]] = [:]
    public var utmFilled = 0

    public var skipped: Int { skippedByCode.values.reduce(0, +) }
    public var failed: Int { failedByCode.values.reduce(0, +) }

    mutating func add(_ batch: CallBatchResult) {
        read += batch.read
        logged += batch.logged
        waiting += batch.waiting
        skippedByCode.merge(batch.skippedByCode, uniquingKeysWith: +)
        failedByCode.merge(batch.failedByCode, uniquingKeysWith: +)
        tasks += batch.tasks
        created.merge(batch.created, uniquingKeysWith: +)
        for (agent, counts) in batch.perAgent { perAgent[agent, default: [:]].merge(counts, uniquingKeysWith: +) }
        for (manager, counts) in batch.tasksPerManager { tasksPerManager[manager, default: [:]].merge(counts, uniquingKeysWith: +) }
        utmFilled += batch.utmFilled
    }
}
