import Foundation

/// A connection one thread at a time uses, the model of GRDB's `SerializedDatabase`: any thread may
/// hold it, and every use goes through `sync`, which lets one in at a time. A run's batch loop hands
/// one from thread to thread with the batch whose transaction is open on it (claimed ahead on a
/// background thread, written on the loop's), never using it from two at once.
final class SerializedConnection: @unchecked Sendable {
    // Safe to share: `db` is touched only inside `sync`, under `lock`.
    private let db: any Database
    private let lock = NSLock()

    /// Wraps `db`, which nothing else may use from now on.
    init(_ db: any Database) { self.db = db }

    /// Runs `body` with the connection, while no other thread uses it.
    func sync<T>(_ body: (any Database) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(db)
    }
}
