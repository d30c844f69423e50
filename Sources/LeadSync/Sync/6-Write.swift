/// Stage 6: writes a decided batch: the exported rows into the mirror (COPY / prepared insert)
/// with ids drawn from the mirror beforehand, then every row's outcome into `captured_contact`
/// (loaded the same way into `batch_outcome`, then one update), and the new records' keys into
/// `crm_match_key`, all in the batch's transaction. On PostgreSQL each write's rows are built
/// while the server still writes the ones before (`startBulkLoad`).
struct BatchWriter {
    let db: any Database
    let owners: OwnerResolver
    /// The mirror's column types per object (`MappingCheck.Mirror.types`): with a type for every
    /// column a load writes, PostgreSQL gets the rows in COPY's binary format (300k lead rows:
    /// 0.97 s in text, 0.87 s in binary); otherwise in text.
    var mirrorTypes: [TargetObject: [String: CopyType]] = [:]
    var times = PhaseTimes()

    /// Counts of one written batch.
    struct Result {
        var exported = 0
        var failed = 0
        var failedByCode: [String: Int] = [:]
        var ownersBySource: [String: Int] = [:]
        /// Every row as the report shows it.
        var reportRows: [ReportRow] = []
        /// The id of the record each exported row was written as, by row (see `WrittenBatch`).
        var newIDs: [Int64?] = []
    }

    /// The columns of `batch_outcome`, which captured_contact_write_outcome reads.
    static let outcomeColumns = ["id", "status", "error_code", "error_message", "crm_object", "crm_id", "owner_sfid", "owner_source"]

    /// `count` new ids for `object` from the mirror's own serial (a rolled-back batch, or ids
    /// drawn ahead for decisions that did not stand, leave a gap, as any serial does). The query
    /// returns runs of consecutive ids: each row's first id and how many (`ids`).
    static func drawIDs(_ object: TargetObject, count: Int, on db: any Database) throws -> [Int64] {
        var ids: [Int64] = []
        ids.reserveCapacity(count)
        for run in try db.rows("mirror_allocate_\(object.rawValue)_ids", ["count": .integer(Int64(count))]) {
            guard let first = run["id"].intValue, let length = run["ids"].intValue, length >= 0 else {
                throw UsageError("mirror_allocate_\(object.rawValue)_ids returned a row without its first id and count")
            }
            ids += first..<(first + length)
        }
        return ids
    }

    /// New ids for each object, `counts[object]` of them (a `MirrorPlan`'s `idCounts`).
    static func drawIDs(_ counts: [TargetObject: Int], on db: any Database) throws -> [TargetObject: [Int64]] {
        var ids: [TargetObject: [Int64]] = [:]
        for (object, count) in counts where count > 0 { ids[object] = try drawIDs(object, count: count, on: db) }
        return ids
    }

    /// `batchSeq`: the batch's number on the batch clock, which stamps its new records' keys.
    /// `idsDrawn`: given each row's new record id (nil for rows not exported) as soon as they
    /// are known, before the writes. `planned`: the mirror rows built ahead for `decisions`
    /// (with `now` their time), used instead of drawing ids and building them here.
    func write(_ rows: [PreparedRow], _ decisions: [Decision], now: String, runID: Int64, batchSeq: Int64,
               planned: MirrorPlan? = nil, idsDrawn: ([Int64?]) -> Void = { _ in }) throws -> Result {
        var result = Result()
        // Rows built ahead carry the time they were built for.
        let now = planned?.now ?? now
        // 1. The mirror rows, with each exported row's new id and owner: built ahead with their
        // ids (PostgreSQL), or here, the ids drawn below.
        var plan = planned ?? MirrorPlan(rows: rows, decisions: decisions, owners: owners, now: now, engine: db.engine)
        // The new records' ids, drawn before the write: outcomes and keys then need no lookup.
        // Rows the mirror already holds are named in the report as the mirror names them: looked
        // up once per batch.
        var heldRecords: [TargetObject: [Int64: String]] = [:]
        try times.measure("write.ids") {
            if !plan.hasIDs { try plan.assign(Self.drawIDs(plan.idCounts, on: db), rows: rows) }
            for object in TargetObject.allCases {
                var held: [[SQLValue]] = []
                for i in rows.indices {
                    if case .alreadyExported(object, let id) = decisions[i] { held.append([.integer(id)]) }
                }
                if !held.isEmpty {
                    for record in try db.rows("mirror_records_\(object.rawValue)", ["ids": BatchJSON.encode(held)]) {
                        if let id = record["id"].intValue, let name = record.string("record") { heldRecords[object, default: [:]][id] = name }
                    }
                }
            }
        }
        // Four passes, each building what the next write needs while the server (PostgreSQL)
        // still writes what the pass before sent: the mirror rows; the outcomes; the new
        // records' keys; the report's rows. Each write waits for the one before it.
        let (newIDs, exportedIDs, rowOwners) = (plan.newIDs, plan.exportedIDs, plan.rowOwners)
        try times.measure("write.mirror") {
            for (object, batch) in plan.mirrorRows.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                try db.startBulkLoad(table: object.rawValue, columns: batch.columns, types: CopyType.of(batch.columns, in: mirrorTypes[object]),
                                     rows: batch.rows)
            }
        }
        idsDrawn(exportedIDs)
        // What pass 1 gave an exported row (for one it did not, the batch fails rather than write
        // a row without it).
        func exportedID(_ i: Int) throws -> Int64 {
            guard let id = exportedIDs[i] else { throw UsageError("row \(rows[i].row.id) was given no mirror id") }
            return id
        }
        func rowOwner(_ i: Int) throws -> (sfid: String, source: String) {
            guard let owner = rowOwners[i] else { throw UsageError("row \(rows[i].row.id) was given no owner") }
            return owner
        }
        // 2. Every row's outcome.
        var outcomes: [[SQLValue]] = []
        outcomes.reserveCapacity(rows.count)
        for i in rows.indices {
            switch decisions[i] {
            case .export:
                let id = try exportedID(i), owner = try rowOwner(i)
                outcomes.append([.integer(rows[i].row.id), "exported", nil, nil, .text(rows[i].target.rawValue), .integer(id),
                                 .text(owner.sfid), .text(owner.source)])
            case .alreadyExported(let object, let id):
                let owner = try rowOwner(i)
                outcomes.append([.integer(rows[i].row.id), "exported", nil, nil, .text(object.rawValue), .integer(id),
                                 .text(owner.sfid), .text(owner.source)])
            case .failed(let failure, let object, let crmID, let ref, _):
                // A duplicate of an earlier row of this batch points at that row's new record.
                let target = crmID ?? ref.flatMap { newIDs[$0] }
                outcomes.append([.integer(rows[i].row.id), "failed", .text(failure.code), .text(failure.message), .optional(object),
                                 target.map { SQLValue.integer($0) } ?? .null, nil, nil])
            }
        }
        try times.measure("write.mirror") { try db.finishLoad() }
        try times.measure("write.outcome") {
            try db.run("batch_outcome_stage", [:])
            try db.run("batch_outcome_clear", [:])
            try db.startBulkLoad(table: "batch_outcome", columns: Self.outcomeColumns, rows: outcomes)
        }
        // 3. The new records' keys, so later batches and runs (and processes beside this one)
        // match them without waiting for the next refresh. On SQLite pending (migration 012:
        // out of the key indexes until the run merges them; PendingKeyIndex finds them).
        let pending = db.engine == .sqlite
        var keys: [[SQLValue]] = []
        for i in rows.indices {
            guard let id = exportedIDs[i] else { continue }
            let target = rows[i].target
            if let key = CRMKeyIndex.keyRow(object: target.rawValue, id: .integer(id), sfid: .null, leadsyncID: .text(rows[i].row.externalID),
                                            emailKey: rows[i].emailKey, phone: rows[i].phoneKeys.first, phone2: rows[i].phoneKeys.dropFirst().first,
                                            lastNameKey: rows[i].lastNameKey, priority: CRMKeyIndex.priority(of: target),
                                            systemmodstamp: .text(now), batchSeq: .integer(batchSeq), pending: pending) {
                keys.append(key)
            }
        }
        _ = try times.measure("write.outcome") {
            try db.run("captured_contact_write_outcome", ["now": .text(now), "run_id": .integer(runID)])
        }
        try times.measure("write.keys") {
            try db.startBulkLoad(table: "crm_match_key", columns: pending ? CRMKeyIndex.pendingKeyColumns : CRMKeyIndex.keyColumns,
                                 types: pending ? CRMKeyIndex.pendingKeyTypes : CRMKeyIndex.keyTypes, rows: keys)
        }
        // 4. The report's rows and the counts.
        result.reportRows.reserveCapacity(rows.count)
        for i in rows.indices {
            let captured = rows[i].row
            switch decisions[i] {
            case .export:
                let id = try exportedID(i), owner = try rowOwner(i)
                result.reportRows.append(ReportRow(captured: captured, status: "exported", errorCode: nil, errorMessage: nil,
                                                   crmObject: rows[i].target.rawValue, crmID: id, crmRecord: captured.externalID,
                                                   ownerSfid: owner.sfid, ownerSource: owner.source, exportedAt: now))
                result.exported += 1
                result.ownersBySource[owner.source, default: 0] += 1
            case .alreadyExported(let object, let id):
                let owner = try rowOwner(i)
                result.reportRows.append(ReportRow(captured: captured, status: "exported", errorCode: nil, errorMessage: nil,
                                                   crmObject: object.rawValue, crmID: id, crmRecord: heldRecords[object]?[id],
                                                   ownerSfid: owner.sfid, ownerSource: owner.source, exportedAt: now))
                result.exported += 1
                result.ownersBySource[owner.source, default: 0] += 1
            case .failed(let failure, let object, let crmID, let ref, let record):
                result.reportRows.append(ReportRow(captured: captured, status: "failed", errorCode: failure.code, errorMessage: failure.message,
                                                   crmObject: object, crmID: crmID ?? ref.flatMap { newIDs[$0] }, crmRecord: record,
                                                   ownerSfid: nil, ownerSource: nil, exportedAt: nil))
                result.failed += 1
                result.failedByCode[failure.code, default: 0] += 1
            }
        }
        try times.measure("write.keys") { try db.finishLoad() }
        result.newIDs = exportedIDs
        releaseInBackground((consume plan, consume outcomes, consume keys))
        return result
    }
}

/// Pass 1 of a batch's write: each exported row's owner and new id, and the mirror rows to COPY,
/// by object. A batch decided ahead on PostgreSQL builds it on its claim's thread, with ids drawn
/// there, while the batch before it is written; otherwise the writer builds it. The ids are set
/// once drawn (`assign`), in place: each row's array is this plan's own.
struct MirrorPlan: Sendable {
    /// New record id by external id (a duplicate of an earlier row of the batch points at it).
    var newIDs: [String: Int64] = [:]
    /// Each row's new record id, nil for rows not exported.
    var exportedIDs: [Int64?]
    /// Each exported row's owner.
    var rowOwners: [(sfid: String, source: String)?]
    /// The rows to write, by object, with their column list; the id (column 0) set by `assign`.
    var mirrorRows: [TargetObject: (columns: [String], rows: [[SQLValue]])] = [:]
    /// The batch's row behind each mirror row, by object, in the same order.
    private var rowIndexes: [TargetObject: [Int]] = [:]
    /// Whether the ids are set.
    private(set) var hasIDs = false
    /// The time the records are created and modified at, and the rows exported at.
    let now: String

    init(rows: [PreparedRow], decisions: [Decision], owners: OwnerResolver, now: String, engine: Engine) {
        self.now = now
        exportedIDs = [Int64?](repeating: nil, count: rows.count)
        rowOwners = [(sfid: String, source: String)?](repeating: nil, count: rows.count)
        // A target's rows all carry the columns its mapping gives, in its order: the column list
        // and where the owner goes are worked out from its first row (per row, they had cost a
        // column array and a set lookup per value).
        var ownerPositions: [TargetObject: [Int]] = [:]
        // Rows are read in place (rows[i]), not copied: a copy of each row per pass cost more
        // than the pass's own work.
        for i in rows.indices {
            switch decisions[i] {
            case .export:
                let target = rows[i].target
                let owner = owners.owner(capturedBy: rows[i].row.capturedBy)
                rowOwners[i] = owner
                if mirrorRows[target] == nil {
                    let columns = ["id"] + rows[i].values.map(\.column) + ["_hc_lastop", "isdeleted", "createddate", "systemmodstamp"]
                    mirrorRows[target] = (columns, [])
                    ownerPositions[target] = rows[i].values.indices.filter { rows[i].ownerColumns.contains(rows[i].values[$0].column) }.map { $0 + 1 }
                }
                var values: [SQLValue] = []
                values.reserveCapacity(rows[i].values.count + 5)
                values.append(.null)
                for (_, value) in rows[i].values { values.append(value) }
                for position in ownerPositions[target] ?? [] { values[position] = .text(owner.sfid) }
                values += [.text("PENDING"), engine == .sqlite ? .integer(0) : .text("false"), .text(now), .text(now)]
                mirrorRows[target]?.rows.append(values)
                rowIndexes[target, default: []].append(i)
            case .alreadyExported:
                rowOwners[i] = owners.owner(capturedBy: rows[i].row.capturedBy)
            case .failed:
                break
            }
        }
    }

    /// How many new ids each object needs.
    var idCounts: [TargetObject: Int] { rowIndexes.mapValues(\.count) }

    /// Gives the exported rows their new ids, `ids[object]` in the rows' order. `rows`: the batch
    /// the plan was built for.
    mutating func assign(_ ids: [TargetObject: [Int64]], rows: [PreparedRow]) throws {
        for (object, indexes) in rowIndexes {
            guard let drawn = ids[object], drawn.count >= indexes.count else {
                throw UsageError("the mirror gave fewer \(object.rawValue) ids than asked for")
            }
            // Taken out of the dictionary while set, so that each row is changed in place.
            guard var group = mirrorRows.removeValue(forKey: object) else { continue }
            for (k, i) in indexes.enumerated() {
                exportedIDs[i] = drawn[k]
                newIDs[rows[i].row.externalID] = drawn[k]
                group.rows[k][0] = .integer(drawn[k])
            }
            mirrorRows[object] = group
        }
        hasIDs = true
    }
}
