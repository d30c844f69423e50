/// One kind of staged row that `BatchLoop` processes in batches: captured contacts
/// (`ContactStream`) and call events (`CallStream`). A stream says how its rows are claimed and prepared, and how a
/// claimed batch is matched, decided and written; the loop owns everything around that (the
/// batch's transaction and locks, claiming the next batch ahead, retries, a rejected row, the
/// summary and the report). `docs/architecture.md` says how a new stream plugs in.
protocol BatchStream: Sendable {
    /// A claimed and prepared batch.
    associatedtype Batch: ClaimedBatch
    /// What a committed batch did, for the run's summary.
    associatedtype Result: StreamResult

    /// Whether a batch may be claimed ahead on the run's second connection (not when the rows
    /// to take are staged in a temporary table of the first, as `push`'s are).
    var claimsAhead: Bool { get }

    /// Claims up to `limit` rows in processing order, only rows after `after`'s last when given
    /// (a claim ahead, `after` being the batch being written), in `db`'s open transaction, and
    /// prepares them. Runs on the claim's thread: preparing needs no connection.
    func claim(on db: any Database, limit: Int, after: Batch?) throws -> Batch

    /// Matches, decides and writes `batch`, the run's batch number `number` (0 for the first), in
    /// its open transaction, which holds the batch lock.
    func write(_ batch: Batch, number: Int, on db: any Database) throws -> Result

    /// Fails `batch`'s single row with `error`, the database's reason for refusing it (the batch
    /// was redone row by row to find it), writing nothing else for it.
    func reject(_ batch: Batch, error: DatabaseError, on db: any Database) throws -> Result
}

/// A batch as a stream claimed it.
protocol ClaimedBatch: Sendable {
    /// How many rows it holds.
    var count: Int { get }
    /// Its first and last row ids (for tests' hooks).
    var idRange: (first: Int64, last: Int64)? { get }
}

/// What a stream's committed batch did; empty for a batch that claimed nothing.
protocol StreamResult: Sendable {
    init()
}
