import Foundation

/// A batch claimed and prepared on `db`, waiting to be matched and written. Its transaction
/// is open and holds its rows (PostgreSQL's row locks, SQLite's write lock), except for a claim
/// ahead on SQLite: read in a snapshot whose read has ended, it is checked once it holds the
/// write lock (BatchPipeline).
struct ClaimedBatch {
    /// The connection that claimed the rows, and writes them.
    let db: any Database
    /// Which of the pipeline's connections that is (0 when there is no pipeline).
    let connection: Int
    /// How many rows were asked for.
    let want: Int
    /// The rows, in processing order.
    let rows: [ClaimedRow]
    /// Each row mapped and keyed (stage 3).
    let prepared: [PreparedRow]
    /// What its keys matched when it was claimed (stage 4's input); nil when it is matched once
    /// it holds the batch lock (a claim ahead on SQLite).
    let matched: BatchMatch?
    /// SQLite, claimed ahead: the batch's keys as its match takes them, built on the claim's
    /// thread; nil when the match stages them itself.
    var keyParams: [String: SQLValue]? = nil
    /// SQLite, claimed ahead: the batch clock in the snapshot its rows were read from. Nil when
    /// the claim itself holds the rows (PostgreSQL's row locks, or SQLite's write lock).
    var snapshotClock: Int64? = nil
    /// Whether it was claimed on the other connection while the batch before it was written.
    var claimedAhead = false
    /// Its valid rows by key, for a catch-up in memory; nil when it is matched under the lock.
    var keyIndex: BatchKeyIndex? = nil
    /// Claimed ahead: its decisions, made in memory on its thread once the batch before it had
    /// drawn its ids; they stand only if that batch alone was committed since its match.
    var decidedAhead: DecidedAhead? = nil
}

/// Two connections taking turns (real runs): while one writes batch N, the other claims and
/// prepares batch N+1 on a background thread.
///
/// PostgreSQL: it matches batch N+1 too. Each batch lives in one transaction on one connection,
/// from its claim to its commit; `FOR UPDATE SKIP LOCKED` keeps the two claims apart, and the
/// batch lock taken before the write orders the writes as for two processes side by side. Once
/// it holds the lock, batch N+1 catches up on the records committed since it was matched (batch
/// N's, and any other process's), by the batch clock: in memory when they are batch N's alone.
/// Claiming, preparing and matching (about two fifths of a warm run) then overlap the server's
/// writes.
///
/// SQLite (`snapshots`): one connection writes at a time, so the claim ahead is a read, in a
/// snapshot where batch N is (as a rule) still pending: it takes the rows after batch N's last and
/// notes the batch clock. When its turn comes, its connection takes the write lock and keeps the
/// rows only if the clock shows that nothing but batch N was written since (another process's
/// batch, or an import, advances it too); else it claims again under the lock. It is matched
/// ahead too, in a read of its own, and catches up on batch N in memory (`WrittenBatch`); if
/// more than batch N was written since that match, it is matched again under the lock. Claiming,
/// preparing and matching then overlap the writes.
final class BatchPipeline: @unchecked Sendable {
    /// Claims up to `want` rows on a connection inside its open transaction. A claim ahead gets
    /// the last row of the batch being written as `after` and takes only rows after it in
    /// processing order; `snapshot` when that claim reads a snapshot (SQLite), rather than
    /// locking its rows (PostgreSQL); `written`, that batch as it is written, to decide ahead.
    typealias Claim = (_ db: any Database, _ connection: Int, _ want: Int, _ after: ClaimedRow?, _ snapshot: Bool,
                       _ written: WrittenSoon?) throws -> ClaimedBatch

    private let connections: [any Database]
    private let claim: Claim
    /// Claims ahead read a snapshot and are checked under the write lock (SQLite).
    private let snapshots: Bool
    /// Ends the claim of a batch dropped before it was written (its rows are rolled back).
    private let release: (any Database) -> Void
    private var ahead: Ahead?

    /// A claim running on a background thread.
    private final class Ahead: @unchecked Sendable {
        let want: Int
        /// The batch written meanwhile, which the claim may wait for (to decide ahead).
        let written: WrittenSoon
        private let done = DispatchSemaphore(value: 0)
        private var result: Result<ClaimedBatch, Error>?

        init(want: Int, written: WrittenSoon, _ work: @escaping @Sendable () -> Result<ClaimedBatch, Error>) {
            self.want = want
            self.written = written
            DispatchQueue.global(qos: .userInitiated).async {
                self.result = work()
                self.done.signal()
            }
        }

        /// Its batch; a batch before it that has not been handed over by now never will be.
        func wait() throws -> ClaimedBatch {
            written.handOver(nil)
            done.wait()
            done.signal()
            return try result!.get()
        }
    }

    /// A pipeline over `main` and `second`; `claim` runs inside a transaction this type opens,
    /// `release` ends the claim of a batch that is dropped.
    init(main: any Database, second: any Database, claim: @escaping Claim, release: @escaping (any Database) -> Void) {
        connections = [main, second]
        self.claim = claim
        self.release = release
        snapshots = main.engine == .sqlite
    }

    /// The batch to process now, its transaction open: the one claimed ahead when it was
    /// claimed for `want` rows (and, read in a snapshot, still stands), else one claimed now.
    /// `lastWritten`: the batch clock's value the batch before this one committed. A failed claim
    /// is rolled back and thrown.
    func next(want: Int, lastWritten: Int64?) throws -> ClaimedBatch {
        if let pending = ahead {
            ahead = nil
            let batch = try pending.wait()
            if batch.want == want {
                guard let seen = batch.snapshotClock else { return batch }
                if try stands(batch, seen: seen, lastWritten: lastWritten) { return batch }
                return try claimInTransaction(on: batch.connection, want: want, after: nil, written: nil)
            }
            drop(batch)
        }
        return try claimInTransaction(on: 0, want: want, after: nil, written: nil)
    }

    /// Takes the write lock on the connection of a batch claimed in a snapshot (whose read
    /// ended with the claim): the rows stand when nothing but the batch this run wrote last was
    /// committed since the snapshot, be it taken before that batch's commit (as a rule) or after
    /// it (the claim's thread started late). Otherwise its transaction is ended, for a claim made
    /// afresh.
    private func stands(_ batch: ClaimedBatch, seen: Int64, lastWritten: Int64?) throws -> Bool {
        do {
            try batch.db.begin(immediate: true)
            let now = try batch.db.one("batch_clock_read")?["seq"].intValue
            if let lastWritten, now == lastWritten, seen == lastWritten - 1 || seen == lastWritten { return true }
            batch.db.rollback()
            return false
        } catch {
            batch.db.rollback()
            release(batch.db)
            throw error
        }
    }

    /// Starts claiming the batch after `batch` (up to `want` rows) on the other connection;
    /// `written` will hand `batch` over as it is written (or nil), for the claim to decide ahead.
    func claimAhead(after batch: ClaimedBatch, want: Int, written: WrittenSoon) {
        cancel()
        let index = 1 - batch.connection
        // PostgreSQL too starts after the batch being written: the claim otherwise walks the
        // pending index from its start over that batch's rows, each one locked and skipped (and
        // over the dead entries of every batch before it), 26 ms per claim of 5,000 against 9.5
        // ms here. A row it passes (one another process gave back) is claimed once a claim comes
        // back short: the next one starts from the beginning.
        let after = batch.rows.last
        let pipeline = Unchecked(self)
        ahead = Ahead(want: want, written: written) {
            Result {
                var batch = try pipeline.value.claimInTransaction(on: index, want: want, after: after, written: written)
                batch.claimedAhead = true
                return batch
            }
        }
    }

    /// Drops the batch claimed ahead, if any: its rows go back to pending.
    func cancel() {
        guard let pending = ahead else { return }
        ahead = nil
        if let batch = try? pending.wait() { drop(batch) }
    }

    private func drop(_ batch: ClaimedBatch) {
        batch.db.rollback()
        release(batch.db)
    }

    /// Claims in a new transaction on `connection`: on SQLite a read (deferred) when `after` is
    /// given, so the claim ahead does not wait for the write lock the other connection holds.
    private func claimInTransaction(on connection: Int, want: Int, after: ClaimedRow?, written: WrittenSoon?) throws -> ClaimedBatch {
        let db = connections[connection]
        let snapshot = snapshots && after != nil
        try db.begin(immediate: !snapshot)
        do {
            return try claim(db, connection, want, after, snapshot, written)
        } catch {
            db.rollback()
            release(db)
            throw error
        }
    }
}

/// Hands a value that is used by one thread at a time to another thread.
struct Unchecked<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
