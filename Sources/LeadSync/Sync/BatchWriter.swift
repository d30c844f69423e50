/// Writes a decided batch in its transaction: the exported rows into the mirror (COPY / prepared
/// insert) with ids drawn from the mirror beforehand, every row's outcome into `captured_contact`
/// (staged in `batch_outcome`, then one update), and the new records' keys through the run's
/// `KeyLookup`.
struct BatchWriter {
    let db: any Database
    let owners: OwnerResolver
    /// Where the new records' keys go (the key index, or SQLite's pending keys).
    let keys: any KeyLookup
    /// The batch's number in the run (0 for the first).
    var batch = 0
    /// The mirror's column types per object (`MappingCheck.Mirror.types`): with a type for every
    /// column a load writes, PostgreSQL gets the rows in COPY's binary format; otherwise text.
    var mirrorTypes: [TargetObject: [String: CopyType]] = [:]
    var times = PhaseTimes()

    /// The columns of `batch_outcome`, which captured_contact_write_outcome reads: the outcome,
    /// then the status and version the row was claimed with (the write's guard).
    static let outcomeColumns = ["id", "status", "error_code", "error_message", "crm_object", "crm_id", "owner_sfid", "owner_source",
                                 "claimed_status", "claimed_version"]

    /// `count` new ids for `object` from the mirror's own serial (a rolled-back batch leaves a
    /// gap, as any serial does). The query returns runs of consecutive ids: each run's first id
    /// and how many (`ids`).
    func drawIDs(_ object: TargetObject, count: Int) throws -> [Int64] {
        var ids: [Int64] = []
        ids.reserveCapacity(count)
        for run in try db.rows("mirror_allocate_\(object.rawValue)_ids", ["count": .integer(Int64(count))]) {
            guard let first = run["id"].intValue, let length = run["ids"].intValue, length >= 0 else {
                throw InternalError("mirror_allocate_\(object.rawValue)_ids returned a row without its first id and count")
            }
            ids += first..<(first + length)
        }
        guard ids.count >= count else { throw InternalError("the mirror gave fewer \(object.rawValue) ids than asked for") }
        return ids
    }

    /// Writes `rows` as `decisions` say, at `now`, for run `runID`. Throws `ClaimConflict` when a
    /// row changed since its claim (the batch is then rolled back and claimed again).
    func write(_ rows: [PreparedRow], _ decisions: [Decision], now: String, runID: Int64) throws -> BatchResult {
        // 1. The mirror rows, with each exported row's owner and new id.
        var mirror = MirrorRows(rows: rows, decisions: decisions, owners: owners, now: now, isDeleted: db.boolean(false))
        try times.measure("write.ids") {
            for (object, count) in mirror.idCounts { mirror.assign(try drawIDs(object, count: count), to: object, rows: rows) }
        }
        let held = try times.measure("write.ids") { try heldRecords(rows, decisions) }
        try times.measure("write.mirror") {
            for (object, batch) in mirror.rows.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                try db.bulkLoad(table: object.rawValue, columns: batch.columns, types: CopyType.of(batch.columns, in: mirrorTypes[object]),
                                     rows: batch.rows)
            }
        }
        // 2. Every row's outcome.
        var result = BatchResult()
        var outcomes: [[SQLValue]] = []
        outcomes.reserveCapacity(rows.count)
        for i in rows.indices {
            let outcome = try self.outcome(rows, i, decisions[i], mirror: mirror, held: held, now: now)
            outcomes.append([.integer(rows[i].row.id), .text(outcome.status), .optional(outcome.errorCode), .optional(outcome.errorMessage),
                             .optional(outcome.crmObject), outcome.crmID.map { .integer($0) } ?? .null, .optional(outcome.ownerSfid),
                             .optional(outcome.ownerSource), rows[i].row.claimedStatus, rows[i].row.claimedVersion])
            result.add(outcome)
        }
        try times.measure("write.outcome") {
            try db.run("batch_outcome_stage", [:])
            try db.run("batch_outcome_clear", [:])
            try db.bulkLoad(table: "batch_outcome", columns: Self.outcomeColumns, rows: outcomes)
            let written = try db.run("captured_contact_write_outcome", ["now": .text(now), "run_id": .integer(runID)]).affected
            if written != rows.count { throw ClaimConflict(changed: rows.count - written) }
        }
        // 3. The new records' keys, so later batches and runs (and processes beside this one)
        // match them without waiting for the next refresh.
        try times.measure("write.keys") { try keys.add(WrittenKeys(rows: rows, ids: mirror.ids, writtenAt: now), batch: batch, on: db) }
        releaseInBackground((mirror, outcomes))
        return result
    }

    /// One row's outcome (SYNC_RULES.md §8), as the update writes it and the report shows it.
    private func outcome(_ rows: [PreparedRow], _ i: Int, _ decision: Decision, mirror: MirrorRows, held: [TargetObject: [Int64: String]],
                         now: String) throws -> ReportRow {
        switch decision {
        case .export:
            guard let id = mirror.ids[i], let owner = mirror.owners[i] else { throw InternalError("row \(rows[i].row.id) was given no mirror id or owner") }
            return ReportRow(captured: rows[i].row, status: "exported", crmObject: rows[i].target.rawValue, crmID: id,
                             crmRecord: rows[i].row.externalID, ownerSfid: owner.sfid, ownerSource: owner.source, exportedAt: now)
        case .alreadyExported(let object, let id):
            guard let owner = mirror.owners[i] else { throw InternalError("row \(rows[i].row.id) was given no owner") }
            return ReportRow(captured: rows[i].row, status: "exported", crmObject: object.rawValue, crmID: id, crmRecord: held[object]?[id],
                             ownerSfid: owner.sfid, ownerSource: owner.source, exportedAt: now)
        case .failed(let failure, let object, let crmID, let ref, let record):
            // A duplicate of an earlier row of this batch points at that row's new record.
            return ReportRow(captured: rows[i].row, status: "failed", errorCode: failure.code, errorMessage: failure.message, crmObject: object,
                             crmID: crmID ?? ref.flatMap { mirror.newIDs[$0] }, crmRecord: record)
        }
    }

    /// How the report names the records the mirror already held for rows exported before (by
    /// Salesforce id, else the external id): looked up once per batch.
    private func heldRecords(_ rows: [PreparedRow], _ decisions: [Decision]) throws -> [TargetObject: [Int64: String]] {
        var names: [TargetObject: [Int64: String]] = [:]
        for object in TargetObject.allCases {
            var held: [[SQLValue]] = []
            for i in rows.indices {
                if case .alreadyExported(object, let id) = decisions[i] { held.append([.integer(id)]) }
            }
            guard !held.isEmpty else { continue }
            for record in try db.rows("mirror_records_\(object.rawValue)", ["ids": BatchJSON.encode(held)]) {
                if let id = record["id"].intValue, let name = record.string("record") { names[object, default: [:]][id] = name }
            }
        }
        return names
    }
}

/// A batch whose rows another writer changed between its claim and its write (SQLite, where a
/// batch claimed ahead holds no lock on its rows): it is rolled back and claimed again.
struct ClaimConflict: Error, CustomStringConvertible {
    /// Rows no longer as claimed.
    let changed: Int
    var description: String { "\(changed) rows changed since their batch was claimed" }
}

/// The mirror rows of a batch to COPY, by object, with each exported row's owner and new id.
struct MirrorRows {
    /// The rows to write, by object, with their column list; the id (column 0) set by `assign`.
    private(set) var rows: [TargetObject: (columns: [String], rows: [[SQLValue]])] = [:]
    /// Each row's new record id, nil for rows not exported.
    private(set) var ids: [Int64?]
    /// New record id by external id (a duplicate of an earlier row of the batch points at it).
    private(set) var newIDs: [String: Int64] = [:]
    /// Each exported row's owner.
    let owners: [(sfid: String, source: String)?]
    /// The batch's row behind each mirror row, by object, in the same order.
    private var rowIndexes: [TargetObject: [Int]] = [:]

    init(rows batch: [PreparedRow], decisions: [Decision], owners resolver: OwnerResolver, now: String, isDeleted: SQLValue) {
        ids = [Int64?](repeating: nil, count: batch.count)
        var owners = [(sfid: String, source: String)?](repeating: nil, count: batch.count)
        // A target's rows all carry the columns its mapping gives, in its order: the column list
        // and where the owner goes are worked out from its first row.
        var ownerPositions: [TargetObject: [Int]] = [:]
        // Rows are read in place (batch[i]), not copied: a copy of each row cost more than the work.
        for i in batch.indices {
            switch decisions[i] {
            case .export:
                let target = batch[i].target
                let owner = resolver.owner(capturedBy: batch[i].row.capturedBy)
                owners[i] = owner
                if rows[target] == nil {
                    rows[target] = (["id"] + batch[i].values.map(\.column) + MappingCheck.bookkeeping, [])
                    ownerPositions[target] = batch[i].values.indices.filter { batch[i].ownerColumns.contains(batch[i].values[$0].column) }.map { $0 + 1 }
                }
                var values: [SQLValue] = []
                values.reserveCapacity(batch[i].values.count + 5)
                values.append(.null)
                for (_, value) in batch[i].values { values.append(value) }
                for position in ownerPositions[target] ?? [] { values[position] = .text(owner.sfid) }
                values += [.text("PENDING"), isDeleted, .text(now), .text(now)]
                rows[target]?.rows.append(values)
                rowIndexes[target, default: []].append(i)
            case .alreadyExported:
                owners[i] = resolver.owner(capturedBy: batch[i].row.capturedBy)
            case .failed:
                break
            }
        }
        self.owners = owners
    }

    /// How many new ids each object needs.
    var idCounts: [(TargetObject, Int)] { rowIndexes.map { ($0.key, $0.value.count) }.sorted { $0.0.rawValue < $1.0.rawValue } }

    /// Gives `object`'s rows their new ids (`drawn`, at least as many, in the rows' order).
    mutating func assign(_ drawn: [Int64], to object: TargetObject, rows batch: [PreparedRow]) {
        guard let indexes = rowIndexes[object], var group = rows.removeValue(forKey: object) else { return }
        // Taken out of the dictionary while set, so that each row is changed in place.
        for (k, i) in indexes.enumerated() {
            ids[i] = drawn[k]
            newIDs[batch[i].row.externalID] = drawn[k]
            group.rows[k][0] = .integer(drawn[k])
        }
        rows[object] = group
    }
}
