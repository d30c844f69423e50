import Foundation
import Logging

/// Runs a stream's batches (`BatchStream`) until its rows, or the run's limit, are done. Each
/// batch is one transaction on one connection from its claim to its commit, written under the
/// batch lock, so batches commit one at a time across processes, in the order they were claimed:
/// a duplicate is caught whichever process holds the earlier row. Around that it owns:
/// - claiming ahead: in a run of several batches, the next batch is claimed and prepared on the
///   run's second connection while the current one is written (`ClaimAhead`);
/// - retries: a batch that fails for a reason that goes away (`DatabaseError.isRetryable`, or a
///   row changed since a claim ahead) is rolled back and claimed again, up to five times;
/// - a rejected row: a batch the mirror refuses is redone row by row, and the row it refuses
///   fails alone with the database's reason.
/// A dry run's batches are savepoints in the one transaction the run rolls back at its end.
final class BatchLoop<Stream: BatchStream> {
    let stream: Stream
    let batchSize: Int
    let limit: Int?
    let dryRun: Bool
    let logger: Logger
    let hooks: SyncHooks
    /// Connections not holding a batch; the run's second is opened when first needed.
    private var idle: [SerializedConnection]
    private var second: (() -> (any Database)?)?

    /// A loop over `stream` on `main`; `openSecond` opens the connection to claim ahead on (nil:
    /// the server refused it, and batches go one after another).
    init(stream: Stream, main: SerializedConnection, openSecond: @escaping () -> (any Database)?, batchSize: Int, limit: Int?,
         dryRun: Bool, logger: Logger, hooks: SyncHooks) {
        self.stream = stream
        self.batchSize = batchSize
        self.limit = limit
        self.dryRun = dryRun
        self.logger = logger
        self.hooks = hooks
        idle = [main]
        second = stream.claimsAhead && !dryRun ? openSecond : nil
    }

    /// Runs every batch; `committed` gets each one's result once it has committed.
    func run(_ committed: (Stream.Result) throws -> Void) throws {
        var done = 0, number = 0
        // Rows still to be processed one at a time, after a batch the mirror refused.
        var isolate = 0
        var ahead: ClaimAhead<Stream.Batch>?
        defer { ahead?.drop() }
        while limit.map({ done < $0 }) ?? true {
            let want = isolate > 0 ? 1 : min(batchSize, (limit ?? .max) - done)
            let result: Stream.Result, claimedRows: Int
            do {
                let processed = try withRetries(ahead: &ahead) { ahead in
                    try process(want: want, number: number, ahead: &ahead, mayClaimAhead: isolate == 0, done: done)
                }
                result = processed.result
                claimedRows = processed.rows
            } catch let error as DatabaseError where error.isDataRejection && want > 1 {
                // One row's value broke the batch: its rows again one by one, so only that row fails.
                logger.warning("batch rejected by the database; isolating its rows", metadata: ["code": "\(error.code)"])
                ahead?.drop()
                ahead = nil
                isolate = want
                continue
            }
            if isolate > 0 { isolate -= 1 }
            number += 1
            done += claimedRows
            try committed(result)
            if claimedRows < want && isolate == 0 { break }
        }
    }

    /// One batch: claimed ahead (when it was, for `want` rows) or now, written and committed.
    /// Returns its result and how many rows it claimed.
    private func process(want: Int, number: Int, ahead: inout ClaimAhead<Stream.Batch>?, mayClaimAhead: Bool,
                         done: Int) throws -> (result: Stream.Result, rows: Int) {
        let claimed: Claimed<Stream.Batch>
        if let pending = ahead, pending.want == want {
            ahead = nil
            claimed = try taking(pending)
        } else {
            ahead?.drop()
            ahead = nil
            claimed = try claimNow(want: want)
        }
        // The next batch is claimed while this one is written.
        let next = min(batchSize, (limit ?? .max) - done - claimed.batch.count)
        if mayClaimAhead && claimed.batch.count == want && next > 0, let connection = idleConnection() {
            ahead = claimAhead(after: claimed.batch, want: next, on: connection)
        }
        let connection = claimed.connection
        defer { idle.append(connection) }
        let rows = claimed.batch.count
        guard rows > 0 else { return (Stream.Result(), 0) }
        do {
            return (try write(claimed, number: number), rows)
        } catch let error as DatabaseError where error.isDataRejection && rows == 1 {
            // The one row the mirror refuses: it fails with the database's reason, alone.
            return (try reject(claimed, error: error), 1)
        }
    }

    /// Takes the batch claimed ahead; its connection is idle again if the claim failed.
    private func taking(_ pending: ClaimAhead<Stream.Batch>) throws -> Claimed<Stream.Batch> {
        do {
            return try pending.take()
        } catch {
            idle.append(pending.connection)
            throw error
        }
    }

    /// Claims a batch now, on an idle connection, in a transaction that holds its rows (PostgreSQL's
    /// row locks, SQLite's write lock), or in a dry run's savepoint.
    private func claimNow(want: Int) throws -> Claimed<Stream.Batch> {
        guard let connection = idle.popLast() else { throw InternalError("no idle connection to claim on") }
        do {
            return try connection.sync { db in
                try begin(db)
                do {
                    try db.run("session_lock", ["lock_id": .integer(JobLock.claim.rawValue)])
                    let batch = try stream.claim(on: db, limit: want, after: nil)
                    // An empty claim ends here: nothing to write, and the claim lock goes back.
                    if batch.count == 0 { rollback(db) }
                    return Claimed(batch: batch, connection: connection, inSnapshot: false)
                } catch {
                    rollback(db)
                    throw error
                }
            }
        } catch {
            idle.append(connection)
            throw error
        }
    }

    /// Starts claiming the batch after `batch` on `connection`. A claim that locks rows and comes
    /// back short claims again from the start, as a short batch ends the run: it may have passed
    /// rows another process has given back since.
    private func claimAhead(after batch: Stream.Batch, want: Int, on connection: SerializedConnection) -> ClaimAhead<Stream.Batch> {
        let stream = stream
        return ClaimAhead(want: want, connection: connection, claim: { db in
            let rows = try stream.claim(on: db, limit: want, after: batch)
            guard db.claimLocksRows && rows.count < want else { return rows }
            return try stream.claim(on: db, limit: want, after: nil)
        }, claimedAhead: hooks.claimedAhead)
    }

    /// Matches, decides and writes a claimed batch under the batch lock, and commits it.
    private func write(_ claimed: Claimed<Stream.Batch>, number: Int) throws -> Stream.Result {
        try claimed.connection.sync { db in
            do {
                if claimed.inSnapshot { try db.begin(immediate: true) }
                try BatchLocks.takeBatch(db)
                let result = try stream.write(claimed.batch, number: number, on: db)
                hooks.beforeCommit?(number)
                try commit(db)
                return result
            } catch {
                rollback(db)
                throw error
            }
        }
    }

    /// Fails the single row of `claimed`, which the mirror refused, in a transaction of its own.
    private func reject(_ claimed: Claimed<Stream.Batch>, error: DatabaseError) throws -> Stream.Result {
        try claimed.connection.sync { db in
            try begin(db)
            do {
                try BatchLocks.takeBatch(db)
                let result = try stream.reject(claimed.batch, error: error, on: db)
                try commit(db)
                return result
            } catch {
                rollback(db)
                throw error
            }
        }
    }

    /// An idle connection other than the one writing, opening the run's second on first use; nil
    /// when there is none (the batches then go one after another).
    private func idleConnection() -> SerializedConnection? {
        if let connection = idle.popLast() { return connection }
        guard let open = second else { return nil }
        second = nil
        return open().map(SerializedConnection.init)
    }

    /// Runs `body` again after a failure that goes away (see `DatabaseError.isRetryable`, and a
    /// row changed since a claim ahead), with jittered exponential backoff; the batch claimed
    /// ahead is given up first, so the next attempt claims afresh.
    private func withRetries<T>(ahead: inout ClaimAhead<Stream.Batch>?, attempts: Int = 5, _ body: (inout ClaimAhead<Stream.Batch>?) throws -> T) throws -> T {
        var attempt = 1
        while true {
            do {
                return try body(&ahead)
            } catch let error where attempt < attempts && Self.isRetryable(error) {
                ahead?.drop()
                ahead = nil
                logger.warning("batch failed for a passing reason; claiming it again", metadata: ["reason": "\(error)", "attempt": "\(attempt)"])
                Thread.sleep(forTimeInterval: 0.05 * pow(2, Double(attempt)) * Double.random(in: 0.5...1.5))
                attempt += 1
            }
        }
    }

    private static func isRetryable(_ error: any Error) -> Bool {
        if error is ClaimConflict { return true }
        return (error as? DatabaseError)?.isRetryable ?? false
    }

    /// A batch's own transaction, or in a dry run a savepoint of the run's.
    private func begin(_ db: any Database) throws {
        if dryRun { try db.executeScript("SAVEPOINT leadsync_batch", name: "savepoint") } else { try db.begin(immediate: true) }
    }

    private func commit(_ db: any Database) throws {
        if dryRun { try db.executeScript("RELEASE SAVEPOINT leadsync_batch", name: "savepoint") } else { try db.commit() }
    }

    private func rollback(_ db: any Database) {
        if dryRun {
            try? db.executeScript("ROLLBACK TO SAVEPOINT leadsync_batch; RELEASE SAVEPOINT leadsync_batch", name: "savepoint")
        } else {
            db.rollback()
        }
        BatchLocks.releaseClaim(db)
    }
}

/// The two locks that order batches across processes (PostgreSQL advisory locks; on SQLite the
/// write lock, which a batch holds from its claim or its turn to its commit, does both).
enum BatchLocks {
    /// The batch lock, until the transaction ends: one batch matched and written at a time. Taken
    /// before the claim lock is given back, so batches take it in the order they were claimed.
    static func takeBatch(_ db: any Database) throws {
        try db.run("advisory_lock", ["lock_id": .integer(JobLock.batch.rawValue)])
        releaseClaim(db)
    }

    /// Gives back the claim lock (a session lock, held from a claim until its batch holds the
    /// batch lock); harmless when it is not held.
    static func releaseClaim(_ db: any Database) {
        _ = try? db.run("session_unlock", ["lock_id": .integer(JobLock.claim.rawValue)])
    }
}
