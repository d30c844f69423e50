import Dispatch

/// A connection used through its own serial queue, the model of GRDB's `SerializedDatabase`: any
/// thread may hold it, and every use runs on its queue, one at a time. A run's batch loop hands
/// one from thread to thread with the batch whose transaction is open on it (claimed ahead on a
/// background thread, written on the loop's), never using it from two at once.
final class SerializedConnection: @unchecked Sendable {
    // Safe to share: `db` is touched only inside `queue.sync`, which runs one block at a time.
    private let db: any Database
    private let queue = DispatchQueue(label: "leadsync.connection")

    /// Wraps `db`, which nothing else may use from now on.
    init(_ db: any Database) { self.db = db }

    /// Runs `body` with the connection, on its queue.
    func sync<T>(_ body: (any Database) throws -> T) rethrows -> T {
        try queue.sync { try body(db) }
    }
}
