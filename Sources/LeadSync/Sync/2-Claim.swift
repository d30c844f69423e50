/// Stage 2: one captured row as the batch claimed it.
public struct ClaimedRow: Sendable {
    /// `captured_contact.id`.
    public let id: Int64
    /// The capturing app's id, written to `leadsync_id__c`.
    public let externalID: String
    /// The claim query's result row: every captured column.
    let result: Row
    /// The mirror row that already carries this external id, if any: (object, id).
    public let existing: (object: TargetObject, id: Int64)?

    /// Reads a claim query's row.
    init(_ row: Row) {
        id = row["id"].intValue ?? 0
        externalID = row.string("external_id") ?? ""
        result = row
        if let lead = row["existing_lead_id"].intValue {
            existing = (.lead, lead)
        } else if let contact = row["existing_contact_id"].intValue {
            existing = (.contact, contact)
        } else {
            existing = nil
        }
    }

    /// A captured column's value, nil when NULL.
    public subscript(_ column: String) -> String? { result.string(column) }
}

/// Which rows a batch claims.
public enum ClaimScope: Sendable {
    /// Pending rows captured at or before `cutoff`, optionally within `[since, until)`.
    case window(cutoff: String, since: String?, until: String?)
    /// The rows staged in `push_request`, pending or failed.
    case pushed

    /// Claims up to `limit` rows in processing order for run `runID`; only rows after `after` in
    /// that order when given (a claim ahead, `after` being the last row of the batch written).
    func claim(_ db: any Database, limit: Int, runID: Int64, after: ClaimedRow? = nil) throws -> [ClaimedRow] {
        switch self {
        case .window(let cutoff, let since, let until):
            return try db.rows("captured_contact_claim", ["cutoff": .text(cutoff), "since": .optional(since), "until": .optional(until),
                                                          "after_captured_at": .optional(after?["captured_at"]),
                                                          "after_id": after.map { .integer($0.id) } ?? .null,
                                                          "limit": .integer(Int64(limit))]).map(ClaimedRow.init)
        case .pushed:
            return try db.rows("captured_contact_claim_push", ["limit": .integer(Int64(limit)), "run_id": .integer(runID)]).map(ClaimedRow.init)
        }
    }
}
