/// summary.html: the counts, a bar chart of outcomes and the failures, on one page a person
/// would rather read than the JSON. Every value is escaped.
enum SummaryHTML {
    static func render(_ s: SyncSummary, failures: [ReportWriter.Failure], notes: ReportNotes) -> String {
        let e = ReportFiles.html
        let title = s.dryRun ? "leadsync dry run" : "leadsync run #\(s.runID)"
        var out = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(e(title))</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:2em;color:#222}
            .bar{display:flex;align-items:center;margin:4px 0}.bar span{width:14em}
            .bar div{height:1.2em;border-radius:3px}
            table{border-collapse:collapse;margin-top:1em}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}
            th{background:#f3f3f3}.alert{background:#fde2e2;border:1px solid #e99;padding:8px}
            </style></head><body>
            <h1>\(e(title))</h1>
            <p>\(e(s.mode)), started \(e(Timestamp.format(s.startedAt))), finished \(e(Timestamp.format(s.finishedAt))):
            <strong>\(s.exported) exported</strong>, <strong>\(s.failed) failed</strong> of \(s.read) read.</p>

            """
        if let alert = notes.alert { out += "<p class=\"alert\">ALERT: \(e(alert))</p>\n" }
        if s.confirmed > 0 || s.rejected > 0 || s.unconfirmed > 0 {
            out += "<p>Exported earlier: \(s.confirmed) confirmed by Salesforce, \(s.rejected) failed, \(s.unconfirmed) not confirmed past max_wait_minutes.</p>\n"
            if !s.unconfirmedRows.isEmpty {
                out += "<table><tr><th>Unconfirmed</th><th>Record</th><th>Exported at</th></tr>\n"
                for row in s.unconfirmedRows {
                    out += "<tr><td>\(e(row.externalID))</td><td>\(e(row.record))</td><td>\(e(row.exportedAt))</td></tr>\n"
                }
                out += "</table>\n"
            }
        }
        if !notes.noMail.isEmpty {
            out += "<p>No mail: not a valid address: \(e(notes.noMail.joined(separator: ", ")))</p>\n"
        }
        let maxCount = max(1, ([s.exported] + s.failedByCode.values).max() ?? 1)
        out += "<h2>Outcomes</h2>\n"
        func bar(_ label: String, _ count: Int, _ color: String) {
            let width = max(2, 400 * count / maxCount)
            out += "<div class=\"bar\"><span>\(e(label)) (\(count))</span><div style=\"width:\(width)px;background:\(color)\"></div></div>\n"
        }
        bar("exported", s.exported, "#3a7")
        for (code, count) in s.failedByCode.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) { bar(code, count, "#d54") }
        if !failures.isEmpty {
            out += "<h2>Failures</h2>\n<table><tr><th>Contact</th><th>External id</th><th>Reason</th><th>CRM record it duplicates</th></tr>\n"
            for f in failures {
                out += "<tr><td>\(e(f.contact))</td><td>\(e(f.externalID))</td><td>\(e(f.message))</td><td>\(e(f.record))</td></tr>\n"
            }
            out += "</table>\n"
            if s.failed > failures.count { out += "<p>… and \(s.failed - failures.count) more in failed.csv.</p>\n" }
        }
        return out + "</body></html>\n"
    }
}
