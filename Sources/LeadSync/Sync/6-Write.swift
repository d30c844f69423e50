/// Stage 6: writes a decided batch: the exported rows into the mirror (COPY / prepared insert)
/// with ids drawn from the mirror beforehand, then every row's outcome into `captured_contact`
/// (loaded the same way into `batch_outcome`, then one update), and the new records' keys into
/// `crm_match_key`, all in the batch's transaction.
struct BatchWriter {
    let db: any Database
    let owners: OwnerResolver
    var times = PhaseTimes()

    /// Counts of one written batch.
    struct Result {
        var exported = 0
        var failed = 0
        var failedByCode: [String: Int] = [:]
        var ownersBySource: [String: Int] = [:]
        /// Every row as the report shows it.
        var reportRows: [ReportRow] = []
    }

    /// The columns of `batch_outcome`, which captured_contact_write_outcome reads.
    static let outcomeColumns = ["id", "status", "error_code", "error_message", "crm_object", "crm_id", "owner_sfid", "owner_source"]

    /// `batchSeq`: the batch's number on the batch clock, which stamps its new records' keys.
    func write(_ rows: [PreparedRow], _ decisions: [Decision], now: String, runID: Int64, batchSeq: Int64) throws -> Result {
        var result = Result()
        // The new records' ids, drawn before the write: outcomes and keys then need no lookup.
        // Rows the mirror already holds are named in the report as the mirror names them: looked
        // up once per batch.
        var ids: [TargetObject: IndexingIterator<[Int64]>] = [:]
        var heldRecords: [TargetObject: [Int64: String]] = [:]
        try times.measure("write.ids") {
            for object in TargetObject.allCases {
                var count = 0
                var held: [[SQLValue]] = []
                for (row, decision) in zip(rows, decisions) {
                    switch decision {
                    case .export where row.target == object: count += 1
                    case .alreadyExported(object, let id): held.append([.integer(id)])
                    default: break
                    }
                }
                if count > 0 {
                    ids[object] = try db.rows("mirror_allocate_\(object.rawValue)_ids", ["count": .integer(Int64(count))])
                        .compactMap { $0["id"].intValue }.makeIterator()
                }
                if !held.isEmpty {
                    for record in try db.rows("mirror_records_\(object.rawValue)", ["ids": BatchJSON.encode(held)]) {
                        if let id = record["id"].intValue, let name = record.string("record") { heldRecords[object, default: [:]][id] = name }
                    }
                }
            }
        }
        var newIDs: [String: Int64] = [:]
        var outcomes: [[SQLValue]] = []
        var keys: [[SQLValue]] = []
        var mirrorRows: [TargetObject: (columns: [String], rows: [[SQLValue]])] = [:]
        for (row, decision) in zip(rows, decisions) {
            switch decision {
            case .export:
                guard let id = ids[row.target]?.next() else { throw UsageError("the mirror gave fewer \(row.target.rawValue) ids than asked for") }
                newIDs[row.row.externalID] = id
                let owner = owners.owner(capturedBy: row.row["captured_by"])
                var columns = ["id"] + row.values.map(\.column)
                var values = [SQLValue.integer(id)] + row.values.map { row.ownerColumns.contains($0.column) ? SQLValue.text(owner.sfid) : $0.value }
                columns += ["_hc_lastop", "isdeleted", "createddate", "systemmodstamp"]
                values += [.text("PENDING"), db.engine == .sqlite ? .integer(0) : .text("false"), .text(now), .text(now)]
                mirrorRows[row.target, default: (columns, [])].rows.append(values)
                outcomes.append([.integer(row.row.id), "exported", nil, nil, .text(row.target.rawValue), .integer(id),
                                 .text(owner.sfid), .text(owner.source)])
                result.reportRows.append(ReportRow(captured: row.row, status: "exported", errorCode: nil, errorMessage: nil,
                                                   crmObject: row.target.rawValue, crmID: id, crmRecord: row.row.externalID,
                                                   ownerSfid: owner.sfid, ownerSource: owner.source, exportedAt: now))
                // Its keys, so later batches and runs (and processes beside this one) match it
                // without waiting for the next refresh.
                keys += CRMKeyIndex.keyRows(object: row.target.rawValue, id: .integer(id), sfid: .null, leadsyncID: .text(row.row.externalID),
                                            emailKey: row.emailKey, phoneKeys: row.phoneKeys, lastNameKey: row.lastNameKey,
                                            priority: CRMKeyIndex.priority(of: row.target), systemmodstamp: .text(now),
                                            batchSeq: .integer(batchSeq))
                result.exported += 1
                result.ownersBySource[owner.source, default: 0] += 1
            case .alreadyExported(let object, let id):
                let owner = owners.owner(capturedBy: row.row["captured_by"])
                outcomes.append([.integer(row.row.id), "exported", nil, nil, .text(object.rawValue), .integer(id),
                                 .text(owner.sfid), .text(owner.source)])
                let record = heldRecords[object]?[id]
                result.reportRows.append(ReportRow(captured: row.row, status: "exported", errorCode: nil, errorMessage: nil,
                                                   crmObject: object.rawValue, crmID: id, crmRecord: record,
                                                   ownerSfid: owner.sfid, ownerSource: owner.source, exportedAt: now))
                result.exported += 1
                result.ownersBySource[owner.source, default: 0] += 1
            case .failed(let failure, let object, let crmID, let ref, let record):
                // A duplicate of an earlier row of this batch points at that row's new record.
                let target = crmID ?? ref.flatMap { newIDs[$0] }
                outcomes.append([.integer(row.row.id), "failed", .text(failure.code), .text(failure.message), .optional(object),
                                 target.map { SQLValue.integer($0) } ?? .null, nil, nil])
                result.reportRows.append(ReportRow(captured: row.row, status: "failed", errorCode: failure.code, errorMessage: failure.message,
                                                   crmObject: object, crmID: target, crmRecord: record,
                                                   ownerSfid: nil, ownerSource: nil, exportedAt: nil))
                result.failed += 1
                result.failedByCode[failure.code, default: 0] += 1
            }
        }
        try times.measure("write.mirror") {
            for (object, batch) in mirrorRows.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                try db.bulkLoad(table: object.rawValue, columns: batch.columns, rows: batch.rows)
            }
        }
        try times.measure("write.outcome") {
            try db.run("batch_outcome_stage", [:])
            try db.run("batch_outcome_clear", [:])
            try db.bulkLoad(table: "batch_outcome", columns: Self.outcomeColumns, rows: outcomes)
            try db.run("captured_contact_write_outcome", ["now": .text(now), "run_id": .integer(runID)])
        }
        try times.measure("write.keys") {
            try db.bulkLoad(table: "crm_match_key", columns: CRMKeyIndex.keyColumns, rows: keys)
        }
        releaseInBackground((consume mirrorRows, consume outcomes, consume keys))
        return result
    }
}
