import Foundation

/// A batch claimed (its rows locked) and prepared inside an open transaction on `db`, waiting
/// to be matched and written in that same transaction.
struct ClaimedBatch {
    /// The connection whose transaction holds the rows.
    let db: any Database
    /// Which of the pipeline's connections that is (0 when there is no pipeline).
    let connection: Int
    /// How many rows were asked for.
    let want: Int
    /// The rows, in processing order.
    let rows: [ClaimedRow]
    /// Each row mapped and keyed (stage 3).
    let prepared: [PreparedRow]
    /// What its keys matched when it was claimed (stage 4's input).
    let matched: BatchMatch
    /// Whether it was claimed on the other connection while the batch before it was written.
    var claimedAhead = false
}

/// Two connections taking turns (PostgreSQL, real runs): while one writes batch N, the other
/// claims, prepares and matches batch N+1 on a background thread. Each batch still lives in
/// one transaction on one connection, from its claim to its commit; `FOR UPDATE SKIP LOCKED`
/// keeps the two claims apart, and the batch lock taken before the write orders the writes as
/// for two processes side by side. Once it holds the lock, batch N+1 catches up on the records
/// committed since it was matched (batch N's, and any other process's), by the batch clock.
/// Claiming, preparing and matching (about two fifths of a warm run) then overlap the server's
/// writes.
final class BatchPipeline: @unchecked Sendable {
    /// Claims up to `want` rows on a connection inside its open transaction.
    typealias Claim = (_ db: any Database, _ connection: Int, _ want: Int) throws -> ClaimedBatch

    private let connections: [any Database]
    private let claim: Claim
    /// Ends the claim of a batch dropped before it was written (its rows are rolled back).
    private let release: (any Database) -> Void
    private var ahead: Ahead?

    /// A claim running on a background thread.
    private final class Ahead: @unchecked Sendable {
        let want: Int
        private let done = DispatchSemaphore(value: 0)
        private var result: Result<ClaimedBatch, Error>?

        init(want: Int, _ work: @escaping @Sendable () -> Result<ClaimedBatch, Error>) {
            self.want = want
            DispatchQueue.global(qos: .userInitiated).async {
                self.result = work()
                self.done.signal()
            }
        }

        func wait() throws -> ClaimedBatch {
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
    }

    /// The batch to process now, its transaction open: the one claimed ahead when it was
    /// claimed for `want` rows, else one claimed now. A failed claim is rolled back and thrown.
    func next(want: Int) throws -> ClaimedBatch {
        if let pending = ahead {
            ahead = nil
            let batch = try pending.wait()
            if batch.want == want { return batch }
            drop(batch)
        }
        return try claimInTransaction(on: 0, want: want)
    }

    /// Starts claiming the batch after `batch` (up to `want` rows) on the other connection.
    func claimAhead(after batch: ClaimedBatch, want: Int) {
        cancel()
        let index = 1 - batch.connection
        let pipeline = Unchecked(self)
        ahead = Ahead(want: want) {
            Result {
                var batch = try pipeline.value.claimInTransaction(on: index, want: want)
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

    private func claimInTransaction(on connection: Int, want: Int) throws -> ClaimedBatch {
        let db = connections[connection]
        try db.begin(immediate: true)
        do {
            return try claim(db, connection, want)
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
