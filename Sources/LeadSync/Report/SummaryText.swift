/// The summary a run prints (and, later, `summary.txt`): counts, failures by reason, owners.
public enum SummaryText {
    /// Human names of the failure codes, for the summary table.
    static let reasons = [
        "duplicate_email": "duplicate (same email)", "duplicate_phone": "duplicate (same phone and last name)",
        "missing_name": "no name", "missing_company": "lead without company", "invalid_email": "invalid email",
        "field_too_long": "a field too long", "crm_rejected": "refused by the CRM database",
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
            out += "    \(String(s.ownersBySource["user"] ?? 0).leftPadded(6))  the capturing user\n"
            out += "    \(String(s.ownersBySource["fallback"] ?? 0).leftPadded(6))  the integration admin (capturer not an active CRM user)\n"
        }
        if s.possibleDuplicates > 0 {
            out += "  \(s.possibleDuplicates) exported contacts share a phone number with a CRM record of another surname (possible duplicates)\n"
        }
        if !s.notProcessed.isEmpty {
            out += "  not processed (unknown external id, or already exported): \(s.notProcessed.joined(separator: ", "))\n"
        }
        return out
    }
}
