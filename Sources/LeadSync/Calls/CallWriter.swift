import Foundation

/// Writes a planned call batch in its transaction (CALL_RULES.md §10): the records it creates
/// (ids drawn from the mirror's serials) and their phone keys, so later events find them; the
/// tasks; the updates of existing records; every event's outcome (staged in `call_outcome`, then
/// one guarded UPDATE).
struct CallWriter {
    let db: any Database
    /// Where the new records' keys go (`KeyLookup.addFoundAtOnce`).
    let lookup: any KeyLookup
    let runID: Int64
    let now: String

    /// The columns of `call_outcome`.
    static let outcomeColumns = ["id", "status", "error_code", "error_message", "crm_object", "crm_id", "task_count", "owner_sfid", "owner_source",
                                 "waiting_since", "claimed_status", "claimed_version"]

    /// A created record's phone key: its number, table and id, in the order of their ids.
    struct Keyed {
        let number: String
        let table: String
        let id: Int64
    }

    /// Writes `plan` for `calls`; throws `ClaimConflict` when an event changed since its claim.
    /// Returns what the batch did and the phone keys of the records it created.
    func write(_ plan: CallPlan, calls: [PreparedCall]) throws -> (result: CallBatchResult, keyed: [Keyed]) {
        let (ids, keyed) = try insert(plan.records)
        try insert(plan.tasks.map(\.values), columns: NewTask.columns, into: "task")
        for update in plan.updates {
            try db.run("call_update_utm_\(update.table)", update.values.merging(["id": .integer(update.id)]) { $1 })
        }
        var result = CallBatchResult()
        var outcomes: [[SQLValue]] = []
        for (i, call) in calls.enumerated() {
            let row = outcome(plan.outcomes[i], owner: plan.owners[i], ids: ids, records: plan.records)
            outcomes.append([.integer(call.row.id)] + row.values + [call.row.claimedStatus, call.row.claimedVersion])
            result.add(status: row.status, code: row.code, agent: call.task?.agent ?? MatchKeys.trim(call.row["agent_email"] ?? ""), tasks: row.tasks)
        }
        for record in plan.records {
            result.created[record.table, default: 0] += 1
            if record.table == "opportunity", let owner = record["ownerid"].textValue {
                result.tasksPerManager[owner, default: [:]]["opportunities_created", default: 0] += 1
            }
        }
        for task in plan.tasks {
            result.tasksPerManager[task.owner, default: [:]][task.completed ? "completed" : "open", default: 0] += 1
        }
        result.utmFilled = plan.updates.count
        try db.run("call_outcome_stage", [:])
        try db.run("call_outcome_clear", [:])
        try db.bulkLoad(table: "call_outcome", columns: Self.outcomeColumns, rows: outcomes)
        let written = try db.run("call_event_write_outcome", ["now": .text(now), "run_id": .integer(runID)]).affected
        if written != calls.count { throw ClaimConflict(changed: calls.count - written) }
        return (result, keyed)
    }

    /// An outcome's columns after `id` and before the claim guard, with what the result counts.
    private func outcome(_ outcome: CallPlan.Outcome, owner: (sfid: String, source: String)?, ids: [Int64],
                         records: [NewRecord]) -> (values: [SQLValue], status: String, code: String?, tasks: Int) {
        func record(_ ref: RecordRef?) -> (SQLValue, SQLValue) {
            switch ref {
            case .existing(let table, let id)?: return (.text(table), .integer(id))
            case .created(let k)?: return (.text(records[k].table), .integer(ids[k]))
            case nil: return (.null, .null)
            }
        }
        let ownerValues: [SQLValue] = [.optional(owner?.sfid), .optional(owner?.source)]
        switch outcome {
        case .failed(let failure, let ref):
            let (object, id) = record(ref)
            return ([.text("failed"), .text(failure.code), .text(failure.message), object, id, .null] + ownerValues + [.null], "failed", failure.code, 0)
        case .skipped(let failure):
            return ([.text("skipped"), .text(failure.code), .text(failure.message), .null, .null, .null, .null, .null, .null], "skipped", failure.code, 0)
        case .waiting(let ref, let since):
            let (object, id) = record(ref)
            return ([.text("waiting"), .null, .null, object, id, .null] + ownerValues + [.text(Timestamp.format(since))], "waiting", nil, 0)
        case .logged(let ref, let tasks):
            let (object, id) = record(ref)
            return ([.text("logged"), .null, .null, object, id, .integer(Int64(tasks))] + ownerValues + [.null], "logged", nil, tasks)
        }
    }

    /// Inserts the new records, each table's in one load, and their phone keys; returns each
    /// record's new id, in `records`' order, and the keys written.
    private func insert(_ records: [NewRecord]) throws -> (ids: [Int64], keyed: [Keyed]) {
        var ids = [Int64](repeating: 0, count: records.count)
        var keys: [[SQLValue]] = [], keyed: [Keyed] = []
        var indexesByTable: [String: [Int]] = [:]
        for (i, record) in records.enumerated() { indexesByTable[record.table, default: []].append(i) }
        for (table, indexes) in indexesByTable.sorted(by: { $0.key < $1.key }) {
            let columns = records[indexes[0]].layout.columns
            guard indexes.allSatisfy({ records[$0].layout.columns == columns }) else { throw InternalError("a call batch's \(table) records differ in columns") }
            let drawn = try insert(indexes.map { records[$0].values }, columns: columns, into: table)
            for (k, i) in indexes.enumerated() {
                ids[i] = drawn[k]
                guard let key = records[i].key else { continue }
                let record = records[i]
                if let row = CRMKeyIndex.keyRow(object: table, id: .integer(drawn[k]), sfid: .null, leadsyncID: record["leadsync_id__c"],
                                                emailKey: nil, phone: key.number, phone2: nil,
                                                lastNameKey: MatchKeys.lastName(record["lastname"].textValue ?? record["name"].textValue),
                                                priority: key.priority, systemmodstamp: .text(now)) {
                    keys.append(row)
                    keyed.append(Keyed(number: key.number, table: table, id: drawn[k]))
                }
            }
        }
        try lookup.addFoundAtOnce(keys, on: db)
        return (ids, keyed)
    }

    /// Inserts rows of `table` (each the values of `columns`) with new ids and the bookkeeping of
    /// the job's rows (`_hc_lastop = 'PENDING'`, not deleted, created and modified now); returns the ids.
    @discardableResult
    private func insert(_ rows: [[SQLValue]], columns: [String], into table: String) throws -> [Int64] {
        guard !rows.isEmpty else { return [] }
        var ids: [Int64] = []
        for run in try db.rows("mirror_allocate_\(table)_ids", ["count": .integer(Int64(rows.count))]) {
            guard let first = run["id"].intValue, let length = run["ids"].intValue else { throw InternalError("mirror_allocate_\(table)_ids returned no ids") }
            ids += first..<(first + length)
        }
        guard ids.count >= rows.count else { throw InternalError("the mirror gave fewer \(table) ids than asked for") }
        let bookkeeping: [SQLValue] = [.text("PENDING"), db.boolean(false), .text(now), .text(now)]
        try db.bulkLoad(table: table, columns: ["id"] + columns + MappingCheck.bookkeeping, rows: rows.indices.map { i in
            var row = [SQLValue.integer(ids[i])]
            row.reserveCapacity(1 + columns.count + bookkeeping.count)
            row += rows[i]
            row += bookkeeping
            return row
        })
        return Array(ids.prefix(rows.count))
    }
}

/// What one committed call batch did (CALL_RULES.md §10), for the run's summary.
struct CallBatchResult: StreamResult {
    var read = 0
    var logged = 0
    var waiting = 0
    var skippedByCode: [String: Int] = [:]
    var failedByCode: [String: Int] = [:]
    var tasks = 0
    /// Records created per mirror table.
    var created: [String: Int] = [:]
    /// Per agent (as typed, trimmed): events by status.
    var perAgent: [String: [String: Int]] = [:]
    /// Per owner sfid: tasks completed and open, opportunities created (the deals profile's managers).
    var tasksPerManager: [String: [String: Int]] = [:]
    /// Existing records whose UTM tags were filled.
    var utmFilled = 0

    init() {}

    mutating func add(status: String, code: String?, agent: String, tasks: Int) {
        read += 1
        switch status {
        case "logged": logged += 1
        case "waiting": waiting += 1
        case "skipped": skippedByCode[code ?? "", default: 0] += 1
        default: failedByCode[code ?? "", default: 0] += 1
        }
        self.tasks += tasks
        perAgent[agent.isEmpty ? "(no agent)" : agent, default: [:]][status, default: 0] += 1
    }
}
