/// One captured row as a batch claimed it (the first stage).
public struct ClaimedRow: Sendable {
    /// `captured_contact.id`.
    public let id: Int64
    /// The capturing app's id, written to `leadsync_id__c`.
    public let externalID: String
    /// The claim query's result row: every captured column.
    let result: Row
    /// The mirror row that already carries this external id, if any: (object, id).
    public let existing: (object: TargetObject, id: Int64)?
    /// Who captured the row (`captured_by`), nil when NULL.
    public let capturedBy: String?
    /// The rep a booking tool assigned (`assigned_to`), nil when NULL.
    public let assignedTo: String?
    /// The row's status and `updated_at` when it was claimed: its outcome is written only if
    /// both are unchanged (`captured_contact_write_outcome`), so a row another writer changed
    /// between the claim and the write is never written over.
    let claimedStatus: SQLValue
    let claimedVersion: SQLValue

    /// Where a claim result's columns that every row is read by are, looked up once per result
    /// rather than by name in every row (a lookup hashes the name: five a row for a million rows).
    struct Columns {
        let id, externalID, existingLead, existingContact, capturedBy, assignedTo, status, version: Int?

        init(_ shape: ResultColumns) {
            id = shape.position("id")
            externalID = shape.position("external_id")
            existingLead = shape.position("existing_lead_id")
            existingContact = shape.position("existing_contact_id")
            capturedBy = shape.position("captured_by")
            assignedTo = shape.position("assigned_to")
            status = shape.position("status")
            version = shape.position("updated_at")
        }
    }

    /// Reads a claim query's row; `columns`, its result's (found here when not given).
    init(_ row: Row, columns: Columns? = nil) {
        let c = columns ?? Columns(row.shape)
        id = row.value(at: c.id).intValue ?? 0
        externalID = row.value(at: c.externalID).textValue ?? ""
        capturedBy = row.value(at: c.capturedBy).textValue
        assignedTo = row.value(at: c.assignedTo).textValue
        claimedStatus = row.value(at: c.status)
        claimedVersion = row.value(at: c.version)
        result = row
        if let lead = row.value(at: c.existingLead).intValue {
            existing = (.lead, lead)
        } else if let contact = row.value(at: c.existingContact).intValue {
            existing = (.contact, contact)
        } else {
            existing = nil
        }
    }

    /// Reads a claim query's rows, which share one result's columns.
    static func rows(_ rows: [Row]) -> [ClaimedRow] {
        guard let shape = rows.first?.shape else { return [] }
        let columns = Columns(shape)
        return rows.map { ClaimedRow($0, columns: $0.shape === shape ? columns : nil) }
    }

    /// A captured column's value, nil when NULL.
    public subscript(_ column: String) -> String? { result.string(column) }
}

/// Which rows a run's batches claim.
public enum ClaimScope: Sendable {
    /// Pending rows captured at or before `cutoff`, optionally within `[since, until)`.
    case window(cutoff: String, since: String?, until: String?)
    /// The rows staged in `push_request`, pending or failed.
    case pushed

    /// Claims up to `limit` rows in processing order for run `runID`, in the caller's open
    /// transaction; only rows after `after` in that order when given (a claim ahead, `after`
    /// being the last row of the batch being written).
    func claim(_ db: any Database, limit: Int, runID: Int64, after: ClaimedRow? = nil) throws -> [ClaimedRow] {
        switch self {
        case .window(let cutoff, let since, let until):
            return try db.rows("captured_contact_claim", ["cutoff": .text(cutoff), "since": .optional(since), "until": .optional(until),
                                                          "after_captured_at": .optional(after?["captured_at"]),
                                                          "after_id": after.map { .integer($0.id) } ?? .null,
                                                          "limit": .integer(Int64(limit))]).claimedRows
        case .pushed:
            return try db.rows("captured_contact_claim_push", ["limit": .integer(Int64(limit)), "run_id": .integer(runID)]).claimedRows
        }
    }

    /// How many rows the scope holds now, for a progress line.
    func count(_ db: any Database) throws -> Int {
        guard case .window(let cutoff, let since, let until) = self else { return 0 }
        return try db.one("captured_contact_count_eligible", ["cutoff": .text(cutoff), "since": .optional(since), "until": .optional(until)])?
            .int("eligible") ?? 0
    }
}

extension Array where Element == Row {
    /// The rows of a claim query's result, read as claimed rows.
    var claimedRows: [ClaimedRow] { ClaimedRow.rows(self) }
}
