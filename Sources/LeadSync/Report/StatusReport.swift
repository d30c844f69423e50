/// The text `leadsync status` prints: rows per status and the last runs.
public struct StatusReport {
    let db: any Database

    /// A report over `db`.
    public init(db: any Database) { self.db = db }

    /// Rows per status (every status listed, zero included).
    public func counts() throws -> [String: Int] {
        try rows().mapValues(\.rows)
    }

    /// Rows per status, with the exported ones Salesforce confirmed and the failed ones it
    /// rejected (SYNC_RULES.md §9).
    private func rows() throws -> [String: (rows: Int, confirmed: Int, rejected: Int)] {
        var counts = Dictionary(uniqueKeysWithValues: ["pending", "exported", "failed", "skipped"].map { ($0, (rows: 0, confirmed: 0, rejected: 0)) })
        for row in try db.rows("captured_contact_status_counts") {
            if let status = row.string("status") {
                counts[status] = (row.int("row_count") ?? 0, row.int("confirmed") ?? 0, row.int("rejected") ?? 0)
            }
        }
        return counts
    }

    /// The printed report.
    public func render(recentRuns: Int) throws -> String {
        let counts = try rows()
        var out = "captured contacts in \(db.displayURL)\n"
        for status in ["pending", "exported", "failed", "skipped"] {
            let count = counts[status] ?? (0, 0, 0)
            out += "  \(status.padding(toLength: 9, withPad: " ", startingAt: 0)) \(String(count.rows).leftPadded(8))"
            if status == "exported" && count.rows > 0 {
                out += "  (\(count.confirmed) confirmed by Salesforce, \(count.rows - count.confirmed) not yet)"
            }
            if status == "failed" && count.rejected > 0 { out += "  (\(count.rejected) rejected by Salesforce or removed from the mirror)" }
            out += "\n"
        }
        var calls = ["pending": 0, "waiting": 0, "logged": 0, "skipped": 0, "failed": 0]
        for row in try db.rows("call_event_status_counts") {
            if let status = row.string("status") { calls[status] = row.int("row_count") ?? 0 }
        }
        if calls.values.contains(where: { $0 > 0 }) {
            out += "call events\n"
            for status in ["pending", "waiting", "logged", "skipped", "failed"] {
                out += "  \(status.padding(toLength: 9, withPad: " ", startingAt: 0)) \(String(calls[status] ?? 0).leftPadded(8))\n"
            }
        }
        let runs = try db.rows("sync_run_recent", ["limit": .integer(Int64(max(recentRuns, 0)))])
        if runs.isEmpty {
            out += "no runs yet\n"
        } else {
            out += "last runs\n"
            for r in runs {
                out += "  #\(r.int("id") ?? 0) \(r.string("mode") ?? "") started \(r.string("started_at") ?? "") \(r.string("status") ?? ""): "
                out += "read \(r.int("read_count") ?? 0), exported \(r.int("exported_count") ?? 0), failed \(r.int("failed_count") ?? 0), skipped \(r.int("skipped_count") ?? 0)"
                if let error = r.string("error") { out += " — \(error)" }
                out += "\n"
            }
        }
        return out
    }
}

extension String {
    /// Right-aligns to `width` characters.
    public func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
