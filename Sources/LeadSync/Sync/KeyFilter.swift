import Foundation

/// A run's filter of the CRM's indexed keys (SQLite): a Bloom filter, one 64-bit word per key
/// (`mayContain`), that tells most of a batch's keys apart as in no index, so the match probes
/// the key indexes only for the few it may be in. Of a million captured rows' 2.5M keys, about 5%
/// are the CRM's; a probe is a descent of an index of millions of keys, some 2 µs, and the probes
/// were most of a warm 1M run's match (9.3 of its 12 s here).
///
/// It holds the keys the indexes held in the read it was built in, stamped with the count of
/// changes to them (`batch_clock.keys_changed`, which SQLite's triggers advance on every write
/// into the key indexes, migration 014). A match reads that count in its transaction and asks
/// for a filter at least as new (`current`). It is built on a connection of its own, on another
/// thread, while the run goes on: once the run knows it has many rows, and again after any
/// write into the indexes (a refresh, a merge of pending keys, a batch of another process's run
/// of one batch). Until it is ready a match probes every key. Keys written since as pending are
/// not its concern: the run's PendingKeyIndex finds them. A key gone from the indexes since (a
/// record deleted or re-keyed) only costs a probe that finds nothing; a key it never held would
/// be a duplicate missed, hence the count.
///
/// A run builds one only when its rows are many against the CRM's records (`worthBuilding`):
/// reading the keys costs about 0.4 µs a record, a run's probes some 8 µs a row. Memory: 40 bits
/// a record (about 16 a key, some 0.1% false positives), 17 MB at 3.4M records; none past
/// `recordLimit`.
final class KeyFilter: @unchecked Sendable {
    /// The filter's bits and the count of index changes it was built at.
    struct Bits: Sendable {
        let words: [UInt64]
        let stamp: Int64

        /// Whether the key whose hash (PendingKeyIndex.hash) this is may be indexed: false
        /// means it is certainly not.
        func mayContain(_ hash: UInt64) -> Bool {
            let mask = Self.mask(hash)
            return words[Self.word(hash, count: words.count)] & mask == mask
        }

        /// The word a hash sets its bits in: its top 32 bits scaled to the word count.
        static func word(_ hash: UInt64, count: Int) -> Int { Int(((hash >> 32) &* UInt64(count)) >> 32) }

        /// The five bits a hash sets, from its low 30 bits.
        static func mask(_ hash: UInt64) -> UInt64 {
            (1 << (hash & 63)) | (1 << (hash >> 6 & 63)) | (1 << (hash >> 12 & 63)) | (1 << (hash >> 18 & 63)) | (1 << (hash >> 24 & 63))
        }
    }

    /// Records past which no filter is built (80 MB of it).
    static let recordLimit = 16_000_000

    private let lock = NSLock()
    private var bits: Bits?
    /// The build running, if any: it ends by setting `bits`.
    private var building: Background<Void>?
    /// Why a build failed: the run then probes every key.
    private var failure: (any Error)?
    /// The connection the builds read on, one at a time.
    private let connection: SerializedConnection
    /// Where its builds' time goes (`keys.filter`).
    private let times: PhaseTimes
    /// A test's hook, called after each build.
    private let built: (@Sendable () -> Void)?

    /// A filter built on `connection` (its own), the first build started at once.
    init(connection: SerializedConnection, times: PhaseTimes = PhaseTimes(), built: (@Sendable () -> Void)? = nil) {
        self.connection = connection
        self.times = times
        self.built = built
        lock.withLock { startBuild() }
    }


    /// Whether a run of `rows` rows against `records` CRM records gains from a filter: when its
    /// probes would cost more than reading the keys.
    static func worthBuilding(rows: Int, records: Int) -> Bool {
        records > 0 && records <= recordLimit && rows * 20 >= records
    }

    /// The filter for a read that sees the key indexes at change count `changes`: the one held,
    /// if built at that count or later (a filter that knows of more keys only probes more); else
    /// nil, the match probing every key, and a build started if none is running.
    func current(changes: Int64) -> Bits? {
        lock.withLock {
            if let bits, bits.stamp >= changes { return bits }
            if failure == nil && building == nil {
                // The old filter goes first: two at once would double the memory.
                bits = nil
                startBuild()
            }
            return nil
        }
    }

    /// Waits for the build running, if any (before the run closes its connections); returns why
    /// a build failed, if one did (the run then probed every key).
    @discardableResult
    func finish() -> (any Error)? {
        let running = lock.withLock { building }
        running?.wait()
        return lock.withLock { failure }
    }

    /// Starts a build on the filter's connection, in a read of its own (under `lock`).
    private func startBuild() {
        let connection = connection, times = times
        building = Background { [self] in
            let result = Result { () throws -> Bits in
                try times.measure("keys.filter") {
                    try connection.sync { db in
                        try db.transaction(immediate: false) {
                            try Self.build(stamp: CRMKeyIndex.changes(on: db), on: db)
                        }
                    }
                }
            }
            lock.withLock {
                building = nil
                switch result {
                case .success(let new):
                    bits = new
                case .failure(let error):
                    failure = error
                }
            }
            if case .success = result { built?() }
        }
    }

    /// The filter of the keys indexed in `db`'s open transaction or snapshot, stamped `stamp`.
    static func build(stamp: Int64, on db: any Database) throws -> Bits {
        let records = try db.one("crm_match_key_count")?.int("records") ?? 0
        var words = [UInt64](repeating: 0, count: max(1, records * 5 / 8))
        let count = words.count
        try words.withUnsafeMutableBufferPointer { words in
            try db.scan("crm_match_key_filter_read", [:]) { row in
                for column in 0...2 {
                    if let hash = row.withText(column, PendingKeyIndex.hash(bytes:)) {
                        words[Bits.word(hash, count: count)] |= Bits.mask(hash)
                    }
                }
            }
        }
        return Bits(words: words, stamp: stamp)
    }
}
