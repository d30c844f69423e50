/// The summary a run prints (and, later, `summary.txt`): counts, failures by reason, owners.
public enum SummaryText {
    /// Human names of the failure codes, for the summary table.
    static let reasons = [
        "duplicate_email": "duplicate (same email)", "duplicate_phone": "duplicate (same phone and last name)",
        "missing_name": "no name", "missing_company": "lead without company", "invalid_email": "invalid email",
        "field_too_long": "a field too long", "crm_rejected": "rejected by Salesforce or the CRM mirror", "crm_row_missing": "CRM record removed before Salesforce had it",
        "too_many_attempts": "tried too often",
    ]

    /// The printed table.
    public static func render(_ s: SyncSummary) -> String {
        var out = s.dryRun ? "DRY RUN: nothing was written; this is what a run would do.\n" : "run #\(s.runID) (\(s.mode))\n"
        out += "  \(s.exported) contacts exported, \(s.failed) failed (\(s.read) read"
        out += String(format: ", %.0f rows/s)\n", s.rowsPerSecond)
        if !s.failedByCode.isEmpty {
            out += "  failed by reason:\n"
            for (code, count) in s.failedByCode.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
                out += "    \(String(count).leftPadded(6))  \(code) — \(reasons[code] ?? code)\n"
            }
        }
        if !s.ownersBySource.isEmpty {
            out += "  owners of exported records:\n"
            for (source, label) in [("assigned", "the rep a booking tool assigned"), ("user", "the capturing user"),
                                    ("routing", "a routing rule's team"), ("fallback", "the integration admin (no active user given)")]
            where s.ownersBySource[source] != nil || ["user", "fallback"].contains(source) {
                out += "    \(String(s.ownersBySource[source] ?? 0).leftPadded(6))  \(label)\n"
                guard source == "routing" else { continue }
                for (rule, count) in s.ownersByRule.sorted(by: { $0.key < $1.key }) {
                    out += "    \(String(count).leftPadded(6))    by rule \(rule)\n"
                }
            }
        }
        if s.confirmed > 0 || s.rejected > 0 || s.unconfirmed > 0 {
            out += "  exported earlier: \(s.confirmed) confirmed by Salesforce, \(s.rejected) failed (in the counts above)"
            out += s.unconfirmed > 0 ? ", \(s.unconfirmed) not confirmed past max_wait_minutes\n" : "\n"
            for row in s.unconfirmedRows.prefix(20) {
                out += "    unconfirmed: \(row.externalID) (\(row.record), exported \(row.exportedAt))\n"
            }
            if s.unconfirmed > min(20, s.unconfirmedRows.count) { out += "    … and \(s.unconfirmed - min(20, s.unconfirmedRows.count)) more (summary.json)\n" }
        }
        if s.possibleDuplicates > 0 {
            out += "  \(s.possibleDuplicates) exported contacts share a phone number with a CRM record of another surname (possible duplicates)\n"
        }
        if !s.notProcessed.isEmpty {
            out += "  not processed (unknown external id, or already exported): \(s.notProcessed.joined(separator: ", "))\n"
        }
        if let calls = s.calls, calls.read > 0 { out += render(calls) }
        return out
    }

    /// The call events' part (CALL_RULES.md §10).
    static func render(_ c: CallSummary) -> String {
        var out = "  \(c.logged) call events logged (\(c.tasks) tasks), \(c.waiting) waiting for Salesforce, \(c.skipped) skipped, \(c.failed) failed (\(c.read) read)\n"
        for (label, codes) in [("skipped", c.skippedByCode), ("failed", c.failedByCode)] where !codes.isEmpty {
            out += "  calls \(label) by reason:\n"
            for (code, count) in codes.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
                out += "    \(String(count).leftPadded(6))  \(code) — \(callReasons[code] ?? code)\n"
            }
        }
        if !c.created.isEmpty {
            out += "  records created for calls: " + c.created.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ") + "\n"
        }
        if c.utmFilled > 0 { out += "  UTM tags filled on \(c.utmFilled) existing records\n" }
        return out
    }

    /// Human names of the call codes.
    static let callReasons = [
        "invalid_call": "not a valid call event", "field_too_long": "a task field too long", "not_logged": "a call type not logged",
        "outside_business_hours": "outside business hours", "no_number": "no client number", "unknown_number": "a number no record has",
        "crm_rejected": "rejected by Salesforce", "crm_not_synced": "Heroku Connect did not sync its record in time",
    ]
}
