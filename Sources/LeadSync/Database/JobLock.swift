/// Advisory lock ids (PostgreSQL) for work that must not run twice at once across processes.
public enum JobLock: Int64, Sendable {
    /// `leadsync migrate`.
    case migrate = 7_423_011_001
    /// Refreshing the CRM match keys.
    case crmKeyRefresh = 7_423_011_002
    /// Matching and writing one batch: batches of concurrent runs commit one at a time, in
    /// claim order, so duplicates are caught across processes.
    case batch = 7_423_011_003
    /// Claiming a batch: held from the claim until the batch lock is taken (a session lock, so
    /// it can end before the transaction does). Batches thus take the batch lock in the order
    /// they were claimed, across processes and across a run's two connections.
    case claim = 7_423_011_004
}
