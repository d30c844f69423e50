import Foundation

/// The run's index of pending keys (SQLite, migration 012): the keys of new records that batches
/// have committed but not yet merged into crm_match_key's key indexes, by hash, each with the
/// rowid of its record. A batch's match looks its keys up here and hands the candidates to
/// batch_match (`pending_keys`), which reads those records by rowid and compares the keys, so a
/// hash shared by two keys costs a read, never a wrong match. It reads the pending keys committed
/// since it last looked (`refresh`: by the batch clock's stamps), so it sees other processes'
/// batches as well as this run's. Used by the thread writing batches only (`PendingKeys`).
///
/// Memory: one 8-byte slot per key at most 3/4 full, 32 MB at `limit` keys; past that the run
/// merges the pending keys and empties it (`needsMerge`), so it stays bounded whatever the run's
/// size. (Other processes' pending keys add to it: 50M keys, a dozen processes at their limit at
/// once, is where it stops growing, and a refresh past that fails the batch, which the next
/// run's merge recovers from.)
final class PendingKeyIndex {
    /// Keys held before the run merges them (about 1.2M records' keys).
    static let defaultLimit = 3_000_000

    /// Open addressing, linear probing: 0 is empty, else the key hash's top 26 bits above the
    /// record's rowid + 1 (38 bits). The slot count is a power of two, at most 2^26, and a key's
    /// home slot is its hash's top bits, so growing needs only what a slot holds.
    private var slots: [UInt64] = []
    private var shift = 64
    private var count = 0
    /// A key it could not hold (full at its largest, or a rowid past 38 bits).
    private var overflowed = false
    private static let ridLimit: Int64 = (1 << 38) - 1
    /// The highest batch clock stamp read; pending keys stamped above it are read next time.
    private var seen: Int64
    private let limit: Int

    /// An empty index that has read no pending key; `limit`: the keys it holds before
    /// `needsMerge` says so.
    init(limit: Int = PendingKeyIndex.defaultLimit) {
        seen = 0
        self.limit = max(1, limit)
    }

    /// Whether the run should merge the pending keys now (the index holds `limit` keys).
    var needsMerge: Bool { count >= limit }

    /// Reads the pending keys committed with a stamp above the last one read, on `db` (in its
    /// current transaction or snapshot).
    func refresh(on db: any Database) throws {
        // Read in place: a refresh after another run's million records reads 2.5M keys, and
        // building a row of strings for each took longer than hashing them (1.9 s of a warm 1M run).
        try db.scan("crm_match_key_pending_read", ["after_seq": .integer(seen)]) { row in
            guard let rid = row.integer(0), rid >= 0, rid < Self.ridLimit else { overflowed = true; return }
            for column in 2...4 {
                if let hash = row.withText(column, Self.hash(bytes:)) { insert(hash, rid) }
            }
            if let stamp = row.integer(1), stamp > seen { seen = stamp }
        }
        if overflowed {
            throw UsageError("more pending CRM keys than this run can hold (\(count)); run again: the next run merges them first")
        }
    }

    /// Forgets every key: the pending keys up to stamp `merged` have been merged into the key
    /// indexes (later ones are read again by the next `refresh`).
    func reset(merged: Int64) {
        slots = []
        shift = 64
        count = 0
        overflowed = false
        seen = merged
    }

    /// batch_match's `pending_keys` for the batch's valid rows: `[[row_id, kind, rid, key,
    /// lastname_key], …]`, one entry per key and pending record whose key hash is the same.
    /// `hashes`: the rows' `matchKeyHashes()`.
    func parameter(for rows: [PreparedRow], hashes: [UInt64]) -> SQLValue {
        var out: [UInt8] = [0x5B]
        if count > 0 {
            var k = 0
            rows.forEachMatchKey { i, kind, key in
                forEachRecord(hashes[k]) { BatchJSON.appendKey(rows[i].row.id, kind, rid: $0, key, rows[i].lastNameKey, to: &out) }
                k += 1
            }
        }
        out.append(0x5D)
        return .text(String(decoding: out, as: UTF8.self))
    }

    /// The rowids of the pending records whose key may be `key` (its hash's stored bits agree).
    func records(for key: String) -> [Int64] {
        var found: [Int64] = []
        if count > 0 { forEachRecord(Self.hash(key)) { found.append($0) } }
        return found
    }

    /// A key's hash (FNV-1a over its UTF-8 bytes, then mixed): the same in every process, so a
    /// test can check collisions.
    static func hash(_ key: String) -> UInt64 {
        key.utf8.withContiguousStorageIfAvailable { hash(bytes: UnsafeRawBufferPointer($0)) } ?? hash(bytes: Array(key.utf8))
    }

    /// The hash of a key's UTF-8 bytes (`hash(_:)`).
    static func hash<Bytes: Sequence<UInt8>>(bytes: Bytes) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        // The home slot comes from the top bits: fold the low bits, which FNV mixes best, up.
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        return h
    }

    private func insert(_ hash: UInt64, _ rid: Int64) {
        if slots.isEmpty || (count + 1) * 4 > slots.count * 3 { grow() }
        guard count + 1 < slots.count else { overflowed = true; return }
        place((hash >> 38) << 38 | UInt64(rid + 1))
        count += 1
    }

    private func place(_ slot: UInt64) {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: slot >> UInt64(shift))
        while slots[i] != 0 { i = (i + 1) & mask }
        slots[i] = slot
    }

    private func grow() {
        // Past 2^26 slots the 26 stored hash bits no longer give the home slot: the run merges
        // long before (`limit`), so the index just fills up further.
        guard slots.count < (1 << 26) else { return }
        let old = slots
        let size = max(1024, old.count * 2)
        slots = [UInt64](repeating: 0, count: size)
        shift = 64 - size.trailingZeroBitCount
        for slot in old where slot != 0 { place(slot) }
    }

    private func forEachRecord(_ hash: UInt64, _ body: (Int64) -> Void) {
        let mask = slots.count - 1
        let tag = hash >> 38
        var i = Int(truncatingIfNeeded: hash >> UInt64(shift))
        while slots[i] != 0 {
            if slots[i] >> 38 == tag { body(Int64(slots[i] & ((1 << 38) - 1)) - 1) }
            i = (i + 1) & mask
        }
    }
}
