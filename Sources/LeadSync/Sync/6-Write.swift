/// Stage 6: writes a decided batch: the exported rows into the mirror (COPY / prepared insert),
/// then every row's outcome into `captured_contact` and the new records' keys into
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
    }

    func write(_ rows: [PreparedRow], _ decisions: [Decision], now: String, runID: Int64) throws -> Result {
        var result = Result()
        var outcomes: [[SQLValue]] = []
        var mirrorRows: [TargetObject: (columns: [String], rows: [[SQLValue]])] = [:]
        for (row, decision) in zip(rows, decisions) {
            switch decision {
            case .export:
                let owner = owners.owner(capturedBy: row.row["captured_by"])
                var columns = row.values.map(\.column)
                var values = row.values.map { row.ownerColumns.contains($0.column) ? SQLValue.text(owner.sfid) : $0.value }
                columns += ["_hc_lastop", "isdeleted", "createddate", "systemmodstamp"]
                values += [.text("PENDING"), db.engine == .sqlite ? .integer(0) : .text("false"), .text(now), .text(now)]
                mirrorRows[row.target, default: (columns, [])].rows.append(values)
                outcomes.append([.integer(row.row.id), "exported", nil, nil, .text(row.target.rawValue), nil,
                                 .text(row.row.externalID), .text(owner.sfid), .text(owner.source)])
                result.exported += 1
                result.ownersBySource[owner.source, default: 0] += 1
            case .alreadyExported(let object, let id):
                let owner = owners.owner(capturedBy: row.row["captured_by"])
                outcomes.append([.integer(row.row.id), "exported", nil, nil, .text(object.rawValue), .integer(id), nil,
                                 .text(owner.sfid), .text(owner.source)])
                result.exported += 1
                result.ownersBySource[owner.source, default: 0] += 1
            case .failed(let failure, let object, let crmID, let ref):
                outcomes.append([.integer(row.row.id), "failed", .text(failure.code), .text(failure.message), .optional(object),
                                 crmID.map { SQLValue.integer($0) } ?? .null, .optional(ref), nil, nil])
                result.failed += 1
                result.failedByCode[failure.code, default: 0] += 1
            }
        }
        try times.measure("write.mirror") {
            for (object, batch) in mirrorRows.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                try db.bulkLoad(table: object.rawValue, columns: batch.columns, rows: batch.rows)
            }
        }
        try times.measure("write.stage") {
            try db.run("batch_clear_outcomes", [:])
            try db.bulkLoad(table: "batch_outcome", columns: ["id", "status", "error_code", "error_message", "crm_object", "crm_id",
                                                              "ref_external_id", "owner_sfid", "owner_source"], rows: outcomes)
            try db.run("batch_outcome_analyze", [:])
        }
        try times.measure("write.resolve") {
            try db.run("batch_outcome_resolve_lead", [:])
            try db.run("batch_outcome_resolve_contact", [:])
        }
        try times.measure("write.outcome") {
            try db.run("captured_contact_write_outcome", ["now": .text(now), "run_id": .integer(runID)])
        }
        try times.measure("write.keys") {
            try db.run("crm_match_key_add_exported", ["now": .text(now)])
        }
        return result
    }
}
