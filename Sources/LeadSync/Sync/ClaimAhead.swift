import Dispatch

/// A batch claimed on a connection: its rows, and the connection its transaction is open on.
struct Claimed<Batch: ClaimedBatch>: Sendable {
    let batch: Batch
    let connection: SerializedConnection
    /// Whether the claim read a snapshot and holds nothing (SQLite ahead of its turn): the batch
    /// takes the write lock when its turn comes, and its outcome write checks its rows are still
    /// as claimed (`ClaimConflict`).
    let inSnapshot: Bool
}

/// The next batch, claimed and prepared on the run's idle connection on a background thread,
/// while the batch before it is written on the other: claiming and preparing (about two fifths
/// of a warm run) then cost the run little (`docs/performance.md`).
///
/// PostgreSQL: the claim locks its rows (`FOR UPDATE SKIP LOCKED`) in the transaction the batch
/// is later written in, and holds the claim lock until the batch holds the batch lock, so batches
/// take the batch lock in the order they were claimed, across processes. SQLite: one writer at a
/// time, so the claim is a read in a snapshot, ended at once (held, it kept SQLite from reusing
/// its write-ahead log); the batch takes the write lock at its turn, and a row another writer
/// changed meanwhile makes it roll back and be claimed again.
final class ClaimAhead<Batch: ClaimedBatch>: Sendable {
    /// How many rows it asked for.
    let want: Int
    /// The connection it claims on, its owner until the batch is taken or dropped.
    let connection: SerializedConnection
    private let result: Background<Result<Claimed<Batch>, any Error>>

    /// Starts claiming up to `want` rows on `connection` with `claim`, which runs in a
    /// transaction opened here; `claimedAhead` is a test's hook, called once the rows are read.
    init(want: Int, connection: SerializedConnection, claim: @escaping @Sendable (any Database) throws -> Batch,
         claimedAhead: (@Sendable (Int64, Int64) -> Void)?) {
        self.want = want
        self.connection = connection
        result = Background {
            Result {
                let claimed = try connection.sync { db in
                    let snapshot = !db.claimLocksRows
                    try db.begin(immediate: false)
                    do {
                        try db.run("session_lock", ["lock_id": .integer(JobLock.claim.rawValue)])
                        let batch = try claim(db)
                        // A snapshot's read ends here; an empty claim gives its lock back at once.
                        if snapshot || batch.count == 0 {
                            try db.commit()
                            BatchLocks.releaseClaim(db)
                        }
                        return Claimed(batch: batch, connection: connection, inSnapshot: snapshot)
                    } catch {
                        db.rollback()
                        BatchLocks.releaseClaim(db)
                        throw error
                    }
                }
                if let range = claimed.batch.idRange { claimedAhead?(range.first, range.last) }
                return claimed
            }
        }
    }

    /// The batch, once claimed (its connection's owner from now on); a failed claim is thrown,
    /// its transaction already rolled back.
    func take() throws -> Claimed<Batch> {
        try result.wait().get()
    }

    /// Gives the claim up: its rows stay pending (rolled back), its connection is idle again.
    func drop() {
        guard case .success = result.wait() else { return }
        connection.sync { db in
            db.rollback()
            BatchLocks.releaseClaim(db)
        }
    }
}

/// Work started on another thread whose result is taken later: the caller goes on meanwhile.
final class Background<Value: Sendable>: @unchecked Sendable {
    // Safe to share: `value` is written once, before `done` is signalled, and read after.
    private let done = DispatchSemaphore(value: 0)
    private var value: Value?

    /// Starts `work` now.
    init(_ work: @escaping @Sendable () -> Value) {
        DispatchQueue.global(qos: .userInitiated).async {
            self.value = work()
            self.done.signal()
        }
    }

    /// The result, once `work` has returned (at once after the first call).
    func wait() -> Value {
        done.wait()
        done.signal()
        guard let value else { preconditionFailure("signalled before its value was set") }
        return value
    }
}
