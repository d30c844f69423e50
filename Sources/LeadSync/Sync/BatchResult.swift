/// What one committed batch did: added to the run's summary and report only after its commit.
struct BatchResult: StreamResult {
    /// Rows the batch processed.
    var rows = 0
    var exported = 0
    var failed = 0
    /// Exported rows whose phone matches a CRM record of another surname.
    var possibleDuplicates = 0
    var failedByCode: [String: Int] = [:]
    /// Exported rows per owner source (`assigned`, `user`, `routing`, `fallback`).
    var ownersBySource: [String: Int] = [:]
    /// Routed rows per routing rule.
    var ownersByRule: [String: Int] = [:]
    /// Every row as the report shows it.
    var reportRows: [ReportRow] = []

    /// Counts `row`'s outcome and keeps it for the report.
    mutating func add(_ row: ReportRow) {
        rows += 1
        if row.status == "exported" {
            exported += 1
            if let source = row.ownerSource { ownersBySource[source, default: 0] += 1 }
            if let rule = row.routingRule { ownersByRule[rule, default: 0] += 1 }
        } else {
            failed += 1
            failedByCode[row.errorCode ?? "", default: 0] += 1
        }
        reportRows.append(row)
    }
}
