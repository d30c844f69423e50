import Foundation

/// Call events (CALL_RULES.md), the stream `run` and `backfill` process after the captured
/// contacts, through the same `BatchLoop` (transaction, batch lock, claiming ahead, retries). A
/// batch passes through these stages:
/// 1. claim (`CallScope`): events in processing order, pending and waiting;
/// 2. prepare (`CallPreparer`): validation, call type and logging mode, business hours, the
///    client number's phone key, the task's text; with 1 on the claim's thread;
/// 3. owner (`OwnerResolver.owner(agent:)`) and match (`call_match`): the record each number
///    belongs to in the CRM key index, matched on the claim's thread too, and again under the
///    batch lock only if the key index changed since by more than the batch before's new
///    records (`MatchedAhead`, `CreatedKeys`);
/// 4. plan (`ActivityPlanner`, or `DealsPlanner` for the deals profile): records to create,
///    tasks, or why an event waits or fails;
/// 5. write (`CallWriter`): records and their keys, tasks, updates, outcomes.
struct CallStream: BatchStream {
    struct Batch: ClaimedBatch {
        let calls: [PreparedCall]
        /// The batch matched in its claim's transaction, ahead of its turn.
        var ahead: MatchedAhead?
        var count: Int { calls.count }
        var idRange: (first: Int64, last: Int64)? { calls.first.flatMap { first in calls.last.map { (first.row.id, $0.row.id) } } }
    }

    let scope: CallScope
    let runID: Int64
    let preparer: CallPreparer
    let owners: OwnerResolver
    /// Where the records a batch creates get their keys.
    let lookup: any KeyLookup
    let config: CallsConfig
    let maxWaitMinutes: Int
    let times: PhaseTimes
    let clock: @Sendable () -> Date
    /// The records the batch written last created, for the batch claimed after it.
    let created = CreatedKeys()

    var claimsAhead: Bool { true }

    func claim(on db: any Database, limit: Int, after: Batch?) throws -> Batch {
        let rows = try times.measure("calls.claim") { try scope.claim(db, limit: limit, after: after?.calls.last?.row) }
        let calls = times.measure("calls.prepare") { rows.map { preparer.prepare($0) } }
        // The count first: the match may see more than it says (matched again then for nothing),
        // never less.
        let changes = try CRMKeyIndex.changes(on: db)
        return Batch(calls: calls, ahead: MatchedAhead(changes: changes, matches: try times.measure("calls.match") { try match(calls, on: db) },
                                                       claimedAfter: after?.calls.last?.row.id))
    }

    func write(_ batch: Batch, number: Int, on db: any Database) throws -> CallBatchResult {
        let now = clock()
        let owners = batch.calls.map { call in call.type == nil ? nil : self.owners.owner(agent: call.row["agent_email"], topManager: config.topManager) }
        let before = try CRMKeyIndex.lockedChanges(on: db)
        let matches = try times.measure("calls.match") {
            // Keys another run left pending (SQLite) are read under the lock alone: a batch whose
            // numbers may be among them is matched again with them.
            let pending = try lookup.pendingCandidates(phones: numbers(batch.calls), on: db)
            if pending == nil, let ahead = batch.ahead, let matches = created.matches(ahead, changes: before, numbers: batch.calls.map(matchedNumber)) {
                return matches
            }
            return try match(batch.calls, pending: pending, on: db)
        }
        let nowText = Timestamp.format(now)
        let wait = CallWaitRule(maxWaitMinutes: maxWaitMinutes, now: now)
        let plan = try times.measure("calls.plan") {
            switch config.profile {
            case .activity: return try ActivityPlanner(config: config, wait: wait, now: nowText).plan(batch.calls, matches: matches, owners: owners, on: db)
            case .deals:
                return try DealsPlanner(config: config, wait: wait, preparer: preparer, owners: self.owners)
                    .plan(batch.calls, matches: matches, owners: owners, on: db)
            }
        }
        let written = try times.measure("calls.write") { try CallWriter(db: db, lookup: lookup, runID: runID, now: nowText).write(plan, calls: batch.calls) }
        created.record(batch: batch.calls.last?.row.id, keys: written.keyed.filter { !matchesContactsOnly || $0.table == "contact" },
                       before: before, after: try CRMKeyIndex.changes(on: db))
        return written.result
    }

    func reject(_ batch: Batch, error: DatabaseError, on db: any Database) throws -> CallBatchResult {
        let failure = RowFailure(code: "crm_rejected",
                                 message: "The CRM mirror refused a record of this call (\(error.engine.displayName) \(error.code): \(error.message)).")
        // Claimed again as it is now: its batch was rolled back, and another process may have taken it since.
        let calls = try batch.calls.flatMap { call in
            try db.rows("call_event_claim_id", ["id": .integer(call.row.id)]).map { ClaimedCall($0) }
        }.map { PreparedCall(row: $0, type: nil, failure: failure, skip: nil, number: nil, task: nil) }
        var plan = CallPlan()
        plan.outcomes = calls.map { _ in .failed(failure, record: nil) }
        plan.owners = calls.map { _ in nil }
        return try CallWriter(db: db, lookup: lookup, runID: runID, now: Timestamp.format(clock())).write(plan, calls: calls).result
    }

    /// The record each event's number belongs to (§4), nil when none; one statement per batch.
    /// `pending`: the pending records that may hold a number (`KeyLookup.pendingCandidates`).
    private func match(_ calls: [PreparedCall], pending: SQLValue? = nil, on db: any Database) throws -> [RecordRef?] {
        let keys = numbers(calls).map { [SQLValue.integer(Int64($0.row)), .text($0.key)] }
        var matches = [RecordRef?](repeating: nil, count: calls.count)
        guard !keys.isEmpty else { return matches }
        let params = ["keys": BatchJSON.encode(keys), "contacts_only": db.boolean(matchesContactsOnly), "pending_keys": pending ?? .text("[]")]
        for row in try db.rows("call_match", params) {
            guard let i = row["row_id"].intValue, let object = row.string("crm_object"), let id = row["crm_id"].intValue,
                  matches.indices.contains(Int(i)) else { continue }
            matches[Int(i)] = .existing(table: object, id: id)
        }
        return matches
    }

    /// Whether numbers match contacts only (the deals profile, §9), in the CRM and among the
    /// records the batch before created.
    private var matchesContactsOnly: Bool { config.profile == .deals }

    /// The events matched by a number: each one's index in the batch, and its number's key.
    private func numbers(_ calls: [PreparedCall]) -> [(row: Int, key: String)] {
        calls.indices.compactMap { i in matchedNumber(calls[i]).map { (i, $0) } }
    }

    /// The number an event is matched by: none for an invalid or skipped one.
    private func matchedNumber(_ call: PreparedCall) -> String? {
        call.failure == nil && call.skip == nil ? call.number : nil
    }
}

/// A batch of calls matched on the claim's thread, while the batch before it was written, with
/// the count of changes to the key index that match saw (`batch_clock.keys_changed`, which
/// triggers advance on every write into the index). Under the batch lock the match stands if the
/// count is the same; if the only change is the records the batch before created for unknown
/// numbers, it stands with those added (`CreatedKeys`); else (a refresh, another process) the
/// batch is matched again.
struct MatchedAhead: Sendable {
    let changes: Int64
    let matches: [RecordRef?]
    /// The last event of the batch being written when this one was claimed.
    let claimedAfter: Int64?
}

/// The records with phone keys that the batch written last created (unknown numbers' contacts,
/// leads or accounts), with the count of changes to the key index before and after its writes,
/// for a catch-up in memory: the batch claimed after it was matched in a snapshot without them,
/// and if they are the only change since, its matches stand with them added (the deals profile
/// creates a contact in most batches, which would otherwise match every batch again under the
/// lock). The count before is read with the index's writers kept out (`lockedChanges`), so
/// after less before is this run's writes alone.
final class CreatedKeys: @unchecked Sendable {
    // Unchecked: read and set by the thread writing batches only.
    private var last: (batch: Int64, records: [String: RecordRef], before: Int64, after: Int64)?

    /// The matches of a batch matched ahead, at `changes` (the count under the batch lock), or
    /// nil when it must be matched again. Each event's number in `numbers` (nil: not matched).
    func matches(_ ahead: MatchedAhead, changes: Int64, numbers: [String?]) -> [RecordRef?]? {
        if ahead.changes == changes { return ahead.matches }
        guard let last, let after = ahead.claimedAfter, after == last.batch, ahead.changes == last.before, changes == last.after else { return nil }
        var matches = ahead.matches
        for (i, number) in numbers.enumerated() {
            guard let number, let record = last.records[number] else { continue }
            // A number the batch before created a record for had none in this batch's snapshot.
            guard matches[i] == nil else { return nil }
            matches[i] = record
        }
        return matches
    }

    /// Records what the batch ending with event `batch` created, keyed by number (the newest
    /// record of a number, as the match ranks them), and the counts around its writes.
    func record(batch: Int64?, keys: [CallWriter.Keyed], before: Int64, after: Int64) {
        guard let batch else { last = nil; return }
        var records: [String: RecordRef] = [:]
        for key in keys { records[key.number] = .existing(table: key.table, id: key.id) }
        last = (batch, records, before, after)
    }
}
