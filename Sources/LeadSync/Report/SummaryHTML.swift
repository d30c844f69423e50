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
        if let calls = s.calls, calls.read > 0 { out += render(calls) }
        return out + "</body></html>\n"
    }

    /// The call events' part: counts, reasons, records created, per agent and per manager.
    static func render(_ c: CallSummary) -> String {
        let e = ReportFiles.html
        var out = "<h2>Call events</h2>\n<p><strong>\(c.logged) logged</strong> (\(c.tasks) tasks), \(c.waiting) waiting for Salesforce, "
            + "\(c.skipped) skipped, <strong>\(c.failed) failed</strong> of \(c.read) read.</p>\n"
        let reasons = c.skippedByCode.map { ("skipped", $0.key, $0.value) } + c.failedByCode.map { ("failed", $0.key, $0.value) }
        if !reasons.isEmpty {
            out += "<table><tr><th>Outcome</th><th>Reason</th><th>Events</th></tr>\n"
            for (status, code, count) in reasons.sorted(by: { ($0.0, $0.1) < ($1.0, $1.1) }) {
                out += "<tr><td>\(status)</td><td>\(e(SummaryText.callReasons[code] ?? code)) (\(e(code)))</td><td>\(count)</td></tr>\n"
            }
            out += "</table>\n"
        }
        if !c.created.isEmpty {
            out += "<p>Records created: " + e(c.created.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")) + "</p>\n"
        }
        if c.utmFilled > 0 { out += "<p>UTM tags filled on \(c.utmFilled) existing records.</p>\n" }
        if !c.perAgent.isEmpty {
            out += "<table><tr><th>Agent</th><th>Logged</th><th>Waiting</th><th>Skipped</th><th>Failed</th></tr>\n"
            for (agent, counts) in c.perAgent.sorted(by: { $0.key < $1.key }) {
                out += "<tr><td>\(e(agent))</td>" + ["logged", "waiting", "skipped", "failed"].map { "<td>\(counts[$0] ?? 0)</td>" }.joined() + "</tr>\n"
            }
            out += "</table>\n"
        }
        if !c.tasksPerManager.isEmpty {
            out += "<table><tr><th>Owner</th><th>Tasks completed</th><th>Tasks open</th><th>Opportunities created</th></tr>\n"
            for (owner, counts) in c.tasksPerManager.sorted(by: { $0.key < $1.key }) {
                out += "<tr><td>\(e(owner))</td><td>\(counts["completed"] ?? 0)</td><td>\(counts["open"] ?? 0)</td>"
                    + "<td>\(counts["opportunities_created"] ?? 0)</td></tr>\n"
            }
            out += "</table>\n"
        }
        return out
    }
}
