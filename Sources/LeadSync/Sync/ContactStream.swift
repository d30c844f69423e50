import Foundation

/// Captured contacts (SYNC_RULES.md), the stream `run`, `backfill` and `push` process. A batch
/// passes through these stages, each its own type:
/// 1. claim (`ClaimScope`, `ClaimedRow`): eligible rows in processing order;
/// 2. prepare (`RowPreparer`): validation, match keys, mapped values; with 1 and 2 on the claim's
///    thread, possibly ahead of its turn;
/// 3. match (`KeyLookup`): the batch's keys against the CRM key index, under the batch lock;
/// 4. decide (`DuplicateDecider`): duplicates in processing order;
/// 5. owner (`OwnerResolver`) and write (`BatchWriter`): mirror rows, outcomes, new keys.
struct ContactStream: BatchStream {
    /// A claimed batch: its rows as read, prepared, and their keys as the match takes them.
    struct Batch: ClaimedBatch {
        let rows: [ClaimedRow]
        let prepared: [PreparedRow]
        let keys: BatchKeys

        var count: Int { rows.count }
        var idRange: (first: Int64, last: Int64)? { rows.first.flatMap { first in rows.last.map { (first.id, $0.id) } } }
    }

    let scope: ClaimScope
    let runID: Int64
    /// The run's start, as the match tells records exported in this run apart.
    let runStartedAt: String
    let preparer: RowPreparer
    let lookup: any KeyLookup
    let owners: OwnerResolver
    /// Whether contacts get accounts (§10).
    let contactAccount: ContactAccount
    let times: PhaseTimes
    let clock: @Sendable () -> Date
    let hooks: SyncHooks

    var claimsAhead: Bool {
        if case .window = scope { return true }
        return false
    }

    func claim(on db: any Database, limit: Int, after: Batch?) throws -> Batch {
        let rows = try times.measure("batch.claim") { try scope.claim(db, limit: limit, runID: runID, after: after?.rows.last) }
        return try times.measure("batch.prepare") {
            guard let shape = rows.first?.result.shape else { return Batch(rows: [], prepared: [], keys: BatchKeys()) }
            let plan = preparer.plan(for: shape)
            let prepared = rows.map { preparer.prepare($0, plan: plan) }
            return Batch(rows: rows, prepared: prepared, keys: try lookup.prepare(prepared, on: db, runStartedAt: runStartedAt))
        }
    }

    func write(_ batch: Batch, number: Int, on db: any Database) throws -> BatchResult {
        // A second batch: the run has many rows, and the key lookup may do what pays only then.
        if number == 1 { try lookup.manyBatches(rows: { try scope.count(db) + batch.count }, on: db) }
        hooks.beforeMatch?(batch.count)
        let matches = try times.measure("batch.match") {
            try lookup.match(batch.keys, rows: batch.prepared, on: db, runStartedAt: runStartedAt)
        }
        var decider = DuplicateDecider()
        let decisions = times.measure("batch.decide") { decider.decide(batch.prepared, matches: matches) }
        var result = try times.measure("batch.write") {
            try writer(db, batch: number).write(batch.prepared, decisions, now: Timestamp.format(clock()), runID: runID)
        }
        result.possibleDuplicates = decider.possibleDuplicates
        return result
    }

    func reject(_ batch: Batch, error: DatabaseError, on db: any Database) throws -> BatchResult {
        let failure = RowFailure(code: "crm_rejected",
                                 message: "The CRM refused the record (\(error.engine.displayName) \(error.code): \(error.message)).")
        // Claimed again as it is now: its batch was rolled back, and another process may have
        // taken it since.
        let claimed = try batch.rows.flatMap { try db.rows("captured_contact_claim_id", ["id": .integer($0.id)]).claimedRows }
        let rows = claimed.map {
            PreparedRow(row: $0, target: .lead, emailKey: nil, phoneKeys: [], lastNameKey: "", failure: failure, values: [], ownerColumns: [])
        }
        let decisions = rows.map { _ in Decision.failed(failure, crmObject: nil, crmID: nil, refExternalID: nil, record: nil) }
        return try writer(db, batch: 0).write(rows, decisions, now: Timestamp.format(clock()), runID: runID)
    }

    private func writer(_ db: any Database, batch: Int) -> BatchWriter {
        BatchWriter(db: db, owners: owners, keys: lookup, contactAccount: contactAccount, batch: batch, times: times)
    }
}
