/// Streams a run's processed rows in pages, for the report files and mails.
struct ReportRows {
    /// Captured columns written to exported.csv / failed.csv, then the outcome columns.
    static let capturedColumns = CSVImporter.columns
    static let outcomeColumns = ["status", "error_code", "error_message", "crm_object", "crm_id", "crm_record", "owner_sfid", "owner_source", "exported_at"]
    static let pageSize = 5000

    let db: any Database
    let runID: Int64

    /// Calls `body` with every row of the run, page by page.
    func forEach(_ body: (Row) throws -> Void) throws {
        var after: Int64 = 0
        while true {
            let page = try db.rows("captured_contact_report_page", ["run_id": .integer(runID), "after_id": .integer(after), "limit": .integer(Int64(Self.pageSize))])
            for row in page { try body(row) }
            guard page.count == Self.pageSize, let last = page.last?["id"].intValue else { return }
            after = last
        }
    }
}
