/// A SQLite run's pending keys (migration 012): from its second batch on, a run writes its new
/// records' keys with `pending = 1`, outside the key indexes, and merges them into the indexes
/// once, at its end (or when it holds `limit` keys). Every pending key is written here, stamped
/// with the next value of `batch_clock` in the batch's transaction: the stamps only grow, so the
/// run's index of pending keys (`PendingKeyIndex`) reads the keys committed since it last looked,
/// this run's and other processes', by one range of the partial `batch_seq` index.
///
/// Why: SQLite's write-ahead log holds whole pages. A batch of 5,000 new records puts its 12,000
/// keys at scattered places in indexes of millions of keys, so its commit wrote some 13,000 index
/// pages and the checkpoint copied them back; a merge writes each index page once (a warm 1M run
/// here: 163 s without, 69 s with, `docs/performance.md`).
final class PendingKeys {
    /// Keys found by hash, read from `crm_match_key`.
    private let index: PendingKeyIndex

    /// An empty set of pending keys, merged once it holds `limit` keys.
    init(limit: Int) {
        index = PendingKeyIndex(limit: limit)
    }

    /// batch_match's `pending_keys` for `rows`: each batch key with the rowid of every pending
    /// record whose key hash is the same, read after bringing the index up to date in `db`'s
    /// transaction (the match's). `hashes`: the rows' `matchKeyHashes()`.
    func candidates(for rows: [PreparedRow], hashes: [UInt64], on db: any Database) throws -> SQLValue {
        try index.refresh(on: db)
        return index.parameter(for: rows, hashes: hashes)
    }

    /// call_match's `pending_keys` for a call batch's phone keys: `[[row_id, rid, key], …]`, each
    /// key with the rowid of every pending record whose key hash is the same, read after bringing
    /// the index up to date in `db`'s transaction; nil when there is none.
    func candidates(phones: [(row: Int, key: String)], on db: any Database) throws -> SQLValue? {
        try index.refresh(on: db)
        let found = phones.flatMap { phone in index.records(for: phone.key).map { [SQLValue.integer(Int64(phone.row)), .integer($0), .text(phone.key)] } }
        return found.isEmpty ? nil : BatchJSON.encode(found)
    }

    /// Writes key rows (`CRMKeyIndex.keyColumns`) as pending, in the batch's transaction, which
    /// holds SQLite's write lock; merges first when the index is full, so its memory stays bounded.
    func write(_ keys: [[SQLValue]], on db: any Database) throws {
        if index.needsMerge, let merged = try Self.merge(on: db) { index.reset(merged: merged) }
        guard !keys.isEmpty else { return }
        let stamp = try db.one("batch_clock_advance")?["seq"] ?? .null
        try db.bulkLoad(table: "crm_match_key", columns: CRMKeyIndex.keyColumns + ["batch_seq", "pending"],
                        rows: keys.map { $0 + [stamp, .integer(1)] })
    }

    /// Pending records at which a merge builds the recent level's indexes again rather than
    /// adding the keys to them one by one, and at which the recent level may be folded into the
    /// main one.
    static let rebuildAt = 100_000

    /// The key indexes of each level (migration 013): `crm_match_key_{drop,create}_<name>_index`.
    static let mainIndexes = ["email", "phone", "phone2"]
    static let recentIndexes = ["recent_email", "recent_phone", "recent_phone2"]

    /// Merges every pending key into the key indexes, in the caller's transaction (which holds
    /// SQLite's write lock); returns the batch clock stamp it took, at or above every key merged,
    /// or nil when it changed nothing. The keys go into the recent level (migration 013), whose
    /// indexes are small beside the main ones: added one by one when they are few, else by
    /// dropping the recent indexes and building them again, a sort of the recent keys only. Once
    /// the recent level would hold half of all records (call batches write their new records'
    /// keys straight into it, `SQLiteKeyLookup.addFoundAtOnce`), both levels are folded into the
    /// main indexes, all six built again, so that a record's keys are sorted anew about once each
    /// time the records double. `rebuildAt`: tests lower it to take the rebuilding paths with few keys.
    @discardableResult
    static func merge(on db: any Database, rebuildAt: Int = rebuildAt) throws -> Int64? {
        // The counts read indexes only (the pending keys', the recent level's, the record index);
        // the records are counted only when a fold may be due.
        let pending = try db.one("crm_match_key_pending_count")?.int("pending") ?? 0
        let recent = try db.one("crm_match_key_recent_count")?.int("recent") ?? 0
        guard pending > 0 || recent >= rebuildAt else { return nil }
        let records = try db.one("crm_match_key_count")?.int("records") ?? 0
        let folds = recent + pending >= rebuildAt && (recent + pending) * 2 > records
        guard pending > 0 || folds else { return nil }
        let seq = try db.one("batch_clock_advance")?["seq"].intValue ?? 0
        func rebuilding(_ indexes: [String], _ move: String) throws {
            for index in indexes { try db.run("crm_match_key_drop_\(index)_index", [:]) }
            try db.run(move, [:])
            try db.buildingIndexes { for index in indexes { try db.run("crm_match_key_create_\(index)_index", [:]) } }
        }
        if folds {
            try rebuilding(mainIndexes + recentIndexes, "crm_match_key_fold")
        } else if pending >= rebuildAt {
            try rebuilding(recentIndexes, "crm_match_key_pending_merge")
        } else {
            try db.run("crm_match_key_pending_merge", [:])
        }
        return seq
    }
}
