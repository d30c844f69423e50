/// The text `leadsync status` prints: rows per status and the last runs.
public struct StatusReport {
    let db: any Database

    /// A report over `db`.
    public init(db: any Database) { self.db = db }

    /// Rows per status (every status listed, zero included).
    public func counts() throws -> [String: Int] {
        var counts = ["pending": 0, "exported": 0, "failed": 0, "skipped": 0]
        for row in try db.rows("captured_contact_status_counts") {
            if let status = row.string("status") { counts[status] = row.int("row_count") ?? 0 }
        }
        return counts
    }

    /// The printed report.
    public func render(recentRuns: Int) throws -> String {
        let counts = try counts()
        var out = "captured contacts in \(db.displayURL)\n"
        for status in ["pending", "exported", "failed", "skipped"] {
            out += "  \(status.padding(toLength: 9, withPad: " ", startingAt: 0)) \(String(counts[status] ?? 0).leftPadded(8))\n"
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
