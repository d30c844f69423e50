/// One processed row as exported.csv / failed.csv show it: the captured columns as claimed, then
/// the outcome the batch wrote for it.
struct ReportRow: Sendable {
    /// Captured columns written to the CSV files, then the outcome columns.
    static let capturedColumns = CSVImporter.columns
    static let outcomeColumns = ["status", "error_code", "error_message", "crm_object", "crm_id", "crm_record", "owner_sfid", "owner_source",
                                 "routing_rule", "exported_at"]

    /// The row as claimed.
    let captured: ClaimedRow
    /// `exported` or `failed`.
    let status: String
    /// §4–5 code of a failed row.
    let errorCode: String?
    /// Its reason in words.
    let errorMessage: String?
    /// The mirror object written to, or holding the record duplicated.
    let crmObject: String?
    /// That record's mirror id.
    let crmID: Int64?
    /// How a sales user finds that record: its Salesforce id, or until Heroku Connect has
    /// synced it, the external id it was written with.
    let crmRecord: String?
    /// The owner given to an exported record.
    let ownerSfid: String?
    /// `assigned`, `user`, `routing` or `fallback`.
    let ownerSource: String?
    /// The routing rule that chose the owner (`routing`).
    let routingRule: String?
    /// When it was exported (ISO 8601).
    let exportedAt: String?

    /// A row's outcome; what a status does not have stays empty.
    init(captured: ClaimedRow, status: String, errorCode: String? = nil, errorMessage: String? = nil, crmObject: String? = nil,
         crmID: Int64? = nil, crmRecord: String? = nil, ownerSfid: String? = nil, ownerSource: String? = nil, routingRule: String? = nil,
         exportedAt: String? = nil) {
        self.captured = captured
        self.status = status
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.crmObject = crmObject
        self.crmID = crmID
        self.crmRecord = crmRecord
        self.ownerSfid = ownerSfid
        self.ownerSource = ownerSource
        self.routingRule = routingRule
        self.exportedAt = exportedAt
    }

    /// The CSV fields, in `capturedColumns + outcomeColumns` order.
    var fields: [String] {
        Self.capturedColumns.map { captured[$0] ?? "" } + outcomeFields
    }

    private var outcomeFields: [String] {
        [status, errorCode ?? "", errorMessage ?? "", crmObject ?? "", crmID.map { String($0) } ?? "", crmRecord ?? "",
         ownerSfid ?? "", ownerSource ?? "", routingRule ?? "", exportedAt ?? ""]
    }

    /// The row's CSV line (`fields`, as `ReportFiles.csvLine` writes them).
    func csvLine(positions: [Int?]) -> String {
        var line: [UInt8] = []
        appendCSVLine(positions: positions, to: &line)
        return String(decoding: line, as: UTF8.self)
    }

    /// Appends the row's CSV line as bytes, built without an array of fields or a String: the
    /// captured columns are read by position, `positions` being `capturedColumns`' positions in
    /// the claim's result (see `CapturedPositions`).
    func appendCSVLine(positions: [Int?], to line: inout [UInt8]) {
        let values = captured.result.values
        for position in positions {
            if let position, let text = values[position].textValue { ReportFiles.appendCSVCell(text, to: &line) }
            line.append(0x2C)
        }
        func cell(_ field: String?) {
            line.append(0x2C)
            if let field { ReportFiles.appendCSVCell(field, to: &line) }
        }
        ReportFiles.appendCSVCell(status, to: &line)
        cell(errorCode)
        cell(errorMessage)
        cell(crmObject)
        line.append(0x2C)
        if let crmID { line.appendDecimal(crmID) }
        cell(crmRecord)
        cell(ownerSfid)
        cell(ownerSource)
        cell(routingRule)
        cell(exportedAt)
        line.append(0x0D)
        line.append(0x0A)
    }
}

/// Where `ReportRow.capturedColumns` sit in a claim result, worked out once per result.
struct CapturedPositions {
    private var shape: ResultColumns?
    private var positions: [Int?] = []

    /// The positions for `row`'s result.
    mutating func positions(for row: ClaimedRow) -> [Int?] {
        if shape !== row.result.shape {
            shape = row.result.shape
            positions = ReportRow.capturedColumns.map { row.result.shape.position($0) }
        }
        return positions
    }
}
