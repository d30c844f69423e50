/// How a batch's keys meet the CRM key index (`crm_match_key`): the match, and the keys of the
/// records a batch has just written, which later batches, runs and processes must find. The
/// engines differ here and nowhere else in a batch's stages: PostgreSQL matches a batch ahead of
/// its turn and new keys go straight into its hash indexes (`PostgresKeyLookup`); SQLite matches
/// under its write lock and, in a run of many batches, keeps new keys pending outside its indexes
/// until the run ends (`SQLiteKeyLookup`).
protocol KeyLookup: AnyObject, Sendable {
    /// Before the run's first batch, in the refresh's transaction.
    func startRun(on db: any Database) throws

    /// The run has more than one batch, `rows()` rows still to do (counted when asked; told
    /// before its second batch is matched, in its transaction): what pays only for many rows may
    /// start.
    func manyBatches(rows: () throws -> Int, on db: any Database) throws

    /// The keys of a batch's valid rows as the match takes them, built on the claim's thread in
    /// the claim's transaction, off the path where batches wait for each other; on PostgreSQL
    /// with the batch matched already (`AheadMatch`).
    func prepare(_ rows: [PreparedRow], on db: any Database, runStartedAt: String) throws -> BatchKeys

    /// The CRM records the batch's keys match, by row id: batch_match's best record per kind,
    /// surname agreement and origin (in this run or before `runStartedAt`), as the key index is
    /// in `db`'s open transaction, which holds the batch lock.
    func match(_ keys: BatchKeys, rows: [PreparedRow], on db: any Database, runStartedAt: String) throws -> [Int64: [CRMMatch]]

    /// Writes the keys of the records batch number `batch` (0 for the run's first) has just
    /// written, in its transaction.
    func add(_ written: WrittenKeys, batch: Int, on db: any Database) throws

    /// Writes key rows (`CRMKeyIndex.keyColumns`) of records a call batch has just created, in
    /// its transaction, where every match finds them at once: the calls' match reads the key
    /// index in SQL alone (`call_match`), with no index of pending keys beside it.
    func addFoundAtOnce(_ keys: [[SQLValue]], on db: any Database) throws

    /// After the run's last batch: whatever the run left to do with its keys (SQLite merges its
    /// pending keys), in a transaction of its own.
    func finishRun(on db: any Database) throws

    /// call_match's `pending_keys` for a call batch's phone keys (`phones`: each event's index in
    /// the batch and its key), read in `db`'s transaction, which holds the batch lock:
    /// `[[row_id, rid, key], …]`, the records another run's batches keyed but left pending
    /// (SQLite) whose key may be one of them; nil when none may be (always on PostgreSQL).
    func pendingCandidates(phones: [(row: Int, key: String)], on db: any Database) throws -> SQLValue?
}

/// A batch's match keys as one engine's match takes them.
struct BatchKeys: Sendable {
    /// Rows `[row_id, kind, key, lastname_key]` to load into `batch_key` (PostgreSQL).
    var table: [[SQLValue]] = []
    /// The match's parameters (SQLite's JSON).
    var parameters: [String: SQLValue] = [:]
    /// Each key's hash, in `forEachMatchKey`'s order (SQLite: its key filter and pending keys).
    var hashes: [UInt64] = []
    /// The batch matched on the claim's thread (PostgreSQL).
    var ahead: AheadMatch?
}

/// A batch matched before it holds the batch lock, with the count of changes to the key index
/// the match saw (`batch_clock.keys_changed`), and its rows by key for a catch-up in memory.
struct AheadMatch: Sendable {
    let changes: Int64
    let matches: [Int64: [CRMMatch]]
    let index: BatchKeyIndex
}

/// The keys of a written batch's new records, as `crm_match_key` takes them.
extension WrittenKeys {
    var keyRows: [[SQLValue]] {
        var keys: [[SQLValue]] = []
        keys.reserveCapacity(rows.count)
        for i in rows.indices {
            guard let id = ids[i] else { continue }
            let target = rows[i].target
            if let key = CRMKeyIndex.keyRow(object: target.rawValue, id: .integer(id), sfid: .null, leadsyncID: .text(rows[i].row.externalID),
                                            emailKey: rows[i].emailKey, phone: rows[i].phoneKeys.first, phone2: rows[i].phoneKeys.dropFirst().first,
                                            lastNameKey: rows[i].lastNameKey, priority: CRMKeyIndex.priority(of: target),
                                            systemmodstamp: .text(writtenAt)) {
                keys.append(key)
            }
        }
        return keys
    }
}

/// PostgreSQL's key lookup. A batch's keys are loaded with COPY into `batch_key`, which the match
/// joins to the key index; new keys go straight into the hash indexes (migration 011).
///
/// A batch is matched on the claim's thread, ahead of its turn, while the batch before it is
/// written: the match then costs the run little (a warm 1M run measured 1.31x as long without,
/// `docs/performance.md`). Once the batch holds the batch lock it compares the count of changes to
/// the key index (`batch_clock.keys_changed`, advanced by a trigger on every write, migration 014)
/// with the count its match saw. Unchanged: the match stands. Changed by the one batch this run
/// wrote last, alone: the batch catches up on that batch's records in memory. Anything else (a
/// refresh, another process's batch): it is matched again, under the lock.
final class PostgresKeyLookup: KeyLookup, @unchecked Sendable {
    // Unchecked: `last` is set and read by the thread writing batches only; `prepare`, the one
    // method the claim's thread calls, reads nothing of this object's.
    /// The batch this run wrote last: its records, and the count of changes after its key write
    /// and before it (the same when it wrote no key).
    private var last: (written: WrittenKeys, after: Int64, before: Int64)?

    func startRun(on db: any Database) throws {}

    func manyBatches(rows: () throws -> Int, on db: any Database) throws {}

    func pendingCandidates(phones: [(row: Int, key: String)], on db: any Database) throws -> SQLValue? { nil }

    func prepare(_ rows: [PreparedRow], on db: any Database, runStartedAt: String) throws -> BatchKeys {
        var keys = BatchKeys()
        keys.table.reserveCapacity(rows.count * 2)
        rows.forEachMatchKey { i, kind, key in
            keys.table.append([.integer(rows[i].row.id), kind == PreparedRow.emailKind ? "e" : "p", .text(key), .text(rows[i].lastNameKey)])
        }
        // The count first: the match may see more than it says (a catch-up then finds nothing
        // new), never less.
        let changes = try CRMKeyIndex.changes(on: db)
        keys.ahead = AheadMatch(changes: changes, matches: try matchNow(keys, on: db, runStartedAt: runStartedAt), index: BatchKeyIndex(rows))
        return keys
    }

    func match(_ keys: BatchKeys, rows: [PreparedRow], on db: any Database, runStartedAt: String) throws -> [Int64: [CRMMatch]] {
        if let ahead = keys.ahead {
            let now = try CRMKeyIndex.changes(on: db)
            if now == ahead.changes { return ahead.matches }
            if let last, now == last.after, ahead.changes == last.before {
                var matches = ahead.matches
                ahead.index.catchUp(on: last.written, systemmodstamp: Timestamp.postgresText(last.written.writtenAt), rows: rows, matches: &matches)
                return matches
            }
        }
        return try matchNow(keys, on: db, runStartedAt: runStartedAt)
    }

    func add(_ written: WrittenKeys, batch: Int, on db: any Database) throws {
        let keys = written.keyRows
        if !keys.isEmpty {
            try db.bulkLoad(table: "crm_match_key", columns: CRMKeyIndex.keyColumns, rows: keys)
        }
        // Read under the clock's row lock, which the trigger took with the write: nothing else
        // can change the count before this batch commits.
        let after = try CRMKeyIndex.changes(on: db)
        last = (written, after, keys.isEmpty ? after : after - 1)
    }

    func addFoundAtOnce(_ keys: [[SQLValue]], on db: any Database) throws {
        if !keys.isEmpty { try db.bulkLoad(table: "crm_match_key", columns: CRMKeyIndex.keyColumns, rows: keys) }
    }

    func finishRun(on db: any Database) throws {
        last = nil
    }

    private func matchNow(_ keys: BatchKeys, on db: any Database, runStartedAt: String) throws -> [Int64: [CRMMatch]] {
        try db.run("batch_key_stage", [:])
        try db.run("batch_key_clear", [:])
        try db.bulkLoad(table: "batch_key", columns: ["row_id", "kind", "key", "lastname_key"], rows: keys.table)
        return try CRMMatch.byRow(db.rows("batch_match", ["run_started_at": .text(runStartedAt)]))
    }
}

extension CRMMatch {
    /// batch_match's rows by the batch row they belong to.
    static func byRow(_ rows: [Row]) -> [Int64: [CRMMatch]] {
        var matches: [Int64: [CRMMatch]] = [:]
        for row in rows { matches[row["row_id"].intValue ?? 0, default: []].append(CRMMatch(row)) }
        return matches
    }
}
