import Logging

/// SQLite's key lookup. A batch's keys reach the match as two JSON parameters, email and phone
/// keys apart, each probing its own indexes (a temporary table made the match twice as slow).
///
/// A run of one batch writes its new keys into the indexes, as PostgreSQL does. A run of more
/// batches (told by `manyBatches`) keeps its new keys pending (`PendingKeys`): SQLite's
/// write-ahead log holds whole pages, and scattered index inserts wrote an index page per key
/// at every commit. Pending keys another process left or is writing are found too: the match
/// reads them whenever there are any. A run whose rows are many against the CRM's records also
/// keeps a filter of the indexed keys (`KeyFilter`) and probes the indexes only for the keys it
/// may hold. Used by the thread writing batches, one batch at a time.
final class SQLiteKeyLookup: KeyLookup, @unchecked Sendable {
    // Unchecked: `pending` and `filter` are set and read by the thread writing batches only;
    // `prepare`, the one method the claim's thread calls, reads neither.
    /// Keys held before the run merges them (see `PendingKeys`).
    private let pendingLimit: Int
    /// Opens the connection a key filter is built on.
    private let openConnection: () -> (any Database)?
    /// Whether to keep a key filter in a run of many batches (nil: when it pays).
    private let wantsFilter: Bool?
    /// A test's hook, called when a filter is built.
    private let filterBuilt: (@Sendable () -> Void)?
    /// Where the filter's builds' time goes (`keys.filter`).
    private let times: PhaseTimes
    private let logger: Logger
    /// The run's pending keys, once it has any or another process's are there.
    private var pending: PendingKeys?
    /// The run's filter of indexed keys, in a run of many rows.
    private var filter: KeyFilter?

    init(pendingLimit: Int = PendingKeyIndex.defaultLimit, filter: Bool? = nil, filterBuilt: (@Sendable () -> Void)? = nil,
         times: PhaseTimes = PhaseTimes(), logger: Logger, openConnection: @escaping () -> (any Database)?) {
        self.pendingLimit = pendingLimit
        wantsFilter = filter
        self.filterBuilt = filterBuilt
        self.times = times
        self.logger = logger
        self.openConnection = openConnection
    }

    deinit { filter?.finish() }

    /// Merges the keys runs left pending (one that stopped, or one running beside this one), so
    /// that a run of one batch finds every key in the indexes.
    func startRun(on db: any Database) throws {
        try PendingKeys.merge(on: db)
    }

    func manyBatches(rows: () throws -> Int, on db: any Database) throws {
        if pending == nil { pending = PendingKeys(limit: pendingLimit) }
        if filter == nil,
           try wantsFilter ?? KeyFilter.worthBuilding(rows: rows(), records: db.one("crm_match_key_count")?.int("records") ?? 0),
           let connection = openConnection() {
            filter = KeyFilter(connection: SerializedConnection(connection), times: times, built: filterBuilt)
        }
    }

    /// The keys as JSON, and their hashes; SQLite's batches are matched under the write lock
    /// (matched ahead too, they measured no faster: `docs/performance.md`).
    func prepare(_ rows: [PreparedRow], on db: any Database, runStartedAt: String) throws -> BatchKeys {
        BatchKeys(parameters: Self.keyParameters(rows), hashes: rows.matchKeyHashes())
    }

    func match(_ keys: BatchKeys, rows: [PreparedRow], on db: any Database, runStartedAt: String) throws -> [Int64: [CRMMatch]] {
        let pending = try pendingKeys(on: db)
        // A filter as new as the indexes this transaction sees sends the match only the keys it
        // may find there; until one is, every key is probed.
        let changes = try CRMKeyIndex.changes(on: db)
        var params = filter?.current(changes: changes).map { Self.keyParameters(rows, filter: $0, hashes: keys.hashes) } ?? keys.parameters
        params["run_started_at"] = .text(runStartedAt)
        params["pending_keys"] = try pending?.candidates(for: rows, hashes: keys.hashes, on: db) ?? .text("[]")
        return try CRMMatch.byRow(db.rows("batch_match", params))
    }

    func add(_ written: WrittenKeys, batch: Int, on db: any Database) throws {
        if let pending {
            try pending.write(written.keyRows, on: db)
        } else {
            try db.bulkLoad(table: "crm_match_key", columns: CRMKeyIndex.keyColumns, rows: written.keyRows)
        }
    }

    /// Into the recent level (`pending = 2`, migration 013), which every match probes: its
    /// indexes are small beside the main ones of millions of keys, so a batch's scattered keys
    /// are cheaper to add there (a SQLite deals run of 1M events: its keys 3.7 → 2.2 s, the run
    /// 1.08–1.09×, `docs/performance.md`). A run's start folds the recent level into the main one
    /// once it holds half the records (`PendingKeys.merge`).
    func addFoundAtOnce(_ keys: [[SQLValue]], on db: any Database) throws {
        guard !keys.isEmpty else { return }
        try db.bulkLoad(table: "crm_match_key", columns: CRMKeyIndex.keyColumns + ["pending"], rows: keys.map { $0 + [.integer(2)] })
    }

    /// Another process's contacts run keeps its new keys pending until its end; a call batch
    /// finds them through the same index of pending keys as a contacts batch.
    func pendingCandidates(phones: [(row: Int, key: String)], on db: any Database) throws -> SQLValue? {
        try pendingKeys(on: db)?.candidates(phones: phones, on: db)
    }

    /// The run's pending keys: its own, or, once `db` shows any, other processes'.
    private func pendingKeys(on db: any Database) throws -> PendingKeys? {
        if pending == nil, try db.one("crm_match_key_pending_count")?.int("pending") ?? 0 > 0 {
            pending = PendingKeys(limit: pendingLimit)
        }
        return pending
    }

    func finishRun(on db: any Database) throws {
        if let failure = filter?.finish() {
            logger.warning("the filter of CRM keys could not be built; every key was looked up", metadata: ["error": "\(failure)"])
        }
        filter = nil
        guard pending != nil else { return }
        try db.transaction { try PendingKeys.merge(on: db) }
        pending = nil
    }

    /// The match's parameters: the keys of a batch's valid rows as JSON (BatchJSON's layout,
    /// `[[row_id, kind, key, lastname_key], …]`), the email keys and the phone keys apart, as each
    /// probes its own index (one array of both, read once per index, made the match twice as
    /// slow). With a filter, only the keys it may hold (`hashes`: the rows' `matchKeyHashes()`).
    static func keyParameters(_ rows: [PreparedRow], filter: KeyFilter.Bits? = nil, hashes: [UInt64] = []) -> [String: SQLValue] {
        var emails: [UInt8] = [0x5B], phones: [UInt8] = [0x5B]
        emails.reserveCapacity(filter == nil ? rows.count * 60 : 1024)
        phones.reserveCapacity(filter == nil ? rows.count * 90 : 1024)
        var k = 0
        rows.forEachMatchKey { i, kind, key in
            defer { k += 1 }
            if let filter, !filter.mayContain(hashes[k]) { return }
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
}
