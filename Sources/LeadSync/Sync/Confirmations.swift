import Foundation

/// SYNC_RULES.md §9: before its batches, a run looks at the rows exported earlier that Salesforce
/// has not confirmed yet, as Heroku Connect has left their mirror rows. A row whose record has its
/// `sfid` is confirmed (`crm_sfid`, `confirmed_at`; still `exported`). One Heroku Connect marked
/// FAILED (`_hc_lastop`, or a FAILED entry of `_trigger_log` or `_trigger_log_archive`, each read
/// where it exists) fails as `crm_rejected` with Salesforce's message; one whose mirror row is gone
/// fails as `crm_row_missing`. Rows still waiting past `max_wait_minutes` are listed. A handful of
/// set-based statements, whatever the number of rows waiting; the messages are read in Swift.
struct Confirmations {
    let db: any Database
    /// Minutes after which a row still waiting is listed as unconfirmed.
    let maxWaitMinutes: Int
    var times = PhaseTimes()

    /// What the step found.
    struct Outcome: Sendable {
        /// Rows confirmed now.
        var confirmed = 0
        /// Rows failed now (`crm_rejected`, `crm_row_missing`), as the report shows them.
        var failed: [ReportRow] = []
        /// How many rows have waited past `max_wait_minutes`, and the first of them.
        var unconfirmed = 0
        var unconfirmedRows: [Unconfirmed] = []
    }

    /// A row still waiting for Salesforce past `max_wait_minutes`.
    struct Unconfirmed: Sendable {
        let externalID: String
        let record: String
        let exportedAt: String
        let capturedBy: String?
    }

    /// How many unconfirmed rows the report lists by name.
    static let listed = 100

    /// Runs the step at `now` for run `runID`, in the caller's transaction. It holds the batch
    /// lock, so that concurrent runs take their turns and each row fails in one run's report.
    func run(now: Date, runID: Int64) throws -> Outcome {
        try BatchLocks.takeBatch(db)
        var outcome = Outcome()
        let nowText = Timestamp.format(now)
        for object in TargetObject.allCases {
            outcome.confirmed += try db.run("captured_contact_confirm_\(object.rawValue)", ["now": .text(nowText)]).affected
        }
        outcome.failed = try failures()
        if !outcome.failed.isEmpty { try write(outcome.failed, now: nowText, runID: runID) }
        let cutoff: SQLValue = .text(Timestamp.format(now.addingTimeInterval(-Double(maxWaitMinutes) * 60)))
        outcome.unconfirmed = try db.one("captured_contact_unconfirmed_count", ["cutoff": cutoff])?.int("unconfirmed") ?? 0
        if outcome.unconfirmed > 0 {
            outcome.unconfirmedRows = try db.rows("captured_contact_unconfirmed_list", ["cutoff": cutoff, "limit": .integer(Int64(Self.listed))])
                .map { Unconfirmed(externalID: $0.string("external_id") ?? "", record: "\($0.string("crm_object") ?? "") \($0.int("crm_id") ?? 0)",
                                   exportedAt: $0.string("exported_at") ?? "", capturedBy: $0.string("captured_by")) }
        }
        return outcome
    }

    /// The rows that fail now, with their reasons: a missing mirror row, or Salesforce's message
    /// from `_hc_err` when there is one, else from the latest FAILED log entry.
    private func failures() throws -> [ReportRow] {
        var rows: [Int64: (row: ClaimedRow, missing: Bool, hcError: String?, logMessage: String?)] = [:]
        for row in try db.rows("captured_contact_unconfirmed_failures") {
            let claimed = ClaimedRow(row)
            rows[claimed.id] = (claimed, isTrue(row["missing"]), row.string("hc_err"), nil)
        }
        for log in ["_trigger_log", "_trigger_log_archive"] where try isTrue(db.one("crm_table_exists", ["name": .text(log)])?["present"] ?? .null) {
            for row in try db.rows("captured_contact_unconfirmed\(log)") {
                let claimed = ClaimedRow(row)
                let message = row.string("sf_message")
                if let known = rows[claimed.id] {
                    if known.logMessage == nil { rows[claimed.id]?.logMessage = message }
                } else {
                    rows[claimed.id] = (claimed, false, nil, message)
                }
            }
        }
        return rows.values.sorted { $0.row.id < $1.row.id }.map { found in
            let (code, message) = found.missing
                ? ("crm_row_missing", "The record was removed from the CRM mirror before Salesforce confirmed it.")
                : ("crm_rejected", Self.rejection(hcError: found.hcError, logMessage: found.logMessage))
            return ReportRow(captured: found.row, status: "failed", errorCode: code, errorMessage: message,
                             crmObject: found.row["crm_object"], crmID: found.row.result["crm_id"].intValue)
        }
    }

    /// Fails `rows` in one set-based update, each only if still as read.
    private func write(_ rows: [ReportRow], now: String, runID: Int64) throws {
        try db.run("batch_outcome_stage", [:])
        try db.run("batch_outcome_clear", [:])
        try db.bulkLoad(table: "batch_outcome", columns: BatchWriter.outcomeColumns, rows: rows.map { row in
            [.integer(row.captured.id), .text(row.status), .optional(row.errorCode), .optional(row.errorMessage), .optional(row.crmObject),
             row.crmID.map { .integer($0) } ?? .null, .null, .null, .null, row.captured.claimedStatus, row.captured.claimedVersion]
        })
        try db.run("captured_contact_write_rejection", ["now": .text(now), "run_id": .integer(runID)])
    }

    /// The error message of a rejected row: `Salesforce rejected the record: ` and Salesforce's
    /// message, the whole sentence cut to 500 characters. The message is `_hc_err` when not empty
    /// (its `message`, else `msg`, when it is a JSON object with such a string; else its text),
    /// else the log entry's.
    static func rejection(hcError: String?, logMessage: String?) -> String {
        let hc = MatchKeys.trim(hcError ?? "")
        let text = hc.isEmpty ? MatchKeys.trim(logMessage ?? "") : salesforceMessage(hc)
        let sentence = "Salesforce rejected the record: " + (text.isEmpty ? "(Heroku Connect gave no message)" : text)
        return String(sentence.prefix(500))
    }

    /// `_hc_err`'s message: a JSON object's `message` or `msg` string, else the text as it is.
    static func salesforceMessage(_ hcError: String) -> String {
        guard hcError.hasPrefix("{"), let object = try? JSONSerialization.jsonObject(with: Data(hcError.utf8)) as? [String: Any] else {
            return hcError
        }
        for key in ["message", "msg"] {
            if let message = object[key] as? String, !MatchKeys.trim(message).isEmpty { return MatchKeys.trim(message) }
        }
        return hcError
    }
}
