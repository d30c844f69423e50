import Foundation

/// What a report needs besides the run's summary.
public struct ReportOptions: Sendable {
    /// Folder the report folders go into.
    public var directory: String
    /// Write a mail to every capturing user (run: yes; backfill: only with --notify-users).
    public var mailUsers = true
    /// `push`: the person who asked, who gets the summary.
    public var requestedBy: String?
    /// Failure rate (0…1) above which the run alerts.
    public var maxFailureRate: Double?

    /// Options writing into `directory`.
    public init(directory: String) { self.directory = directory }
}

/// A written report.
public struct WrittenReport: Sendable {
    /// The report folder.
    public let folder: URL
    /// The messages under `mail/`.
    public let mails: [URL]
    /// Why the run alerts (failure rate above the limit), nil when it does not.
    public let alert: String?
}

/// Writes one folder per run: summary.json / .txt / .html, exported.csv, failed.csv and mail/.
/// It is written under a hidden temporary name and renamed when complete, so a reader (or a
/// run killed half-way) never leaves half a report where reports are read.
public struct ReportWriter {
    /// The summary.json format's version; bumped when a field changes meaning.
    public static let schemaVersion = 1
    static let failureListLimit = 1000

    let db: any Database
    let config: Configuration
    let options: ReportOptions

    /// A writer for runs on `db`.
    public init(db: any Database, config: Configuration, options: ReportOptions) {
        self.db = db
        self.config = config
        self.options = options
    }

    struct Failure {
        let contact: String
        let externalID: String
        let code: String
        let message: String
        let record: String
    }

    struct UserStats {
        var exported = 0
        var failed = 0
        var failures: [Failure] = []
    }

    /// Writes the report of `summary`'s run; rows are read from `captured_contact` by run id.
    public func write(_ summary: SyncSummary, runIDForRows: Int64) throws -> WrittenReport {
        let stamp = Timestamp.format(summary.startedAt).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
            .replacingOccurrences(of: ".", with: "")
        let name = summary.dryRun ? "dry-run-\(stamp)" : "run-\(summary.runID)-\(stamp)"
        let root = URL(fileURLWithPath: options.directory)
        let final = root.appendingPathComponent(name)
        let temp = root.appendingPathComponent(".tmp-\(name)-\(getpid())")
        let fm = FileManager.default
        try fm.createDirectory(at: temp.appendingPathComponent("mail"), withIntermediateDirectories: true)

        var names: [String: String] = [:]
        for row in try db.rows("user_all") {
            if let email = row.string("email_key"), let n = row.string("name") { names[email] = n }
        }
        let header = ReportRows.capturedColumns + ReportRows.outcomeColumns
        let exportedCSV = try TextFile(temp.appendingPathComponent("exported.csv"))
        let failedCSV = try TextFile(temp.appendingPathComponent("failed.csv"))
        try exportedCSV.write(ReportFiles.csvLine(header))
        try failedCSV.write(ReportFiles.csvLine(header))
        var users: [String: UserStats] = [:]
        var failures: [Failure] = []
        try ReportRows(db: db, runID: runIDForRows).forEach { row in
            let line = ReportFiles.csvLine(header.map { row.string($0) ?? "" })
            let user = MatchKeys.trim(row.string("captured_by") ?? "").lowercased()
            if row.string("status") == "exported" {
                try exportedCSV.write(line)
                users[user, default: UserStats()].exported += 1
            } else {
                try failedCSV.write(line)
                let contact = [row.string("first_name"), row.string("last_name")].compactMap { $0 }.joined(separator: " ")
                    + (row.string("company").map { $0.isEmpty ? "" : " (\($0))" } ?? "")
                let failure = Failure(contact: contact, externalID: row.string("external_id") ?? "", code: row.string("error_code") ?? "",
                                      message: row.string("error_message") ?? "", record: row.string("crm_record") ?? "")
                users[user, default: UserStats()].failed += 1
                if users[user, default: UserStats()].failures.count < 200 { users[user, default: UserStats()].failures.append(failure) }
                if failures.count < Self.failureListLimit { failures.append(failure) }
            }
        }
        try exportedCSV.close()
        try failedCSV.close()

        var alert: String?
        if let limit = options.maxFailureRate, summary.read > 0 {
            let rate = Double(summary.failed) / Double(summary.read)
            if rate > limit { alert = String(format: "failure rate %.1f%% above the limit of %.1f%%", rate * 100, limit * 100) }
        }
        try ReportFiles.write(String(decoding: summaryJSON(summary, users: users, folder: name, alert: alert), as: UTF8.self),
                              to: temp.appendingPathComponent("summary.json"))
        var text = SummaryText.render(summary)
        if let alert { text += "  ALERT: \(alert)\n" }
        try ReportFiles.write(text, to: temp.appendingPathComponent("summary.txt"))
        try ReportFiles.write(SummaryHTML.render(summary, failures: failures, alert: alert), to: temp.appendingPathComponent("summary.html"))
        let mails = try writeMails(summary, users: users, names: names, failures: failures, alert: alert, into: temp.appendingPathComponent("mail"))

        ReportFiles.syncFileSystem(temp)
        if fm.fileExists(atPath: final.path) { try fm.removeItem(at: final) }
        try fm.moveItem(at: temp, to: final)
        return WrittenReport(folder: final, mails: mails.map { final.appendingPathComponent("mail").appendingPathComponent($0) }, alert: alert)
    }

    private func summaryJSON(_ s: SyncSummary, users: [String: UserStats], folder: String, alert: String?) throws -> Data {
        var perUser: [String: Any] = [:]
        for (email, stats) in users { perUser[email.isEmpty ? "(unknown)" : email] = ["exported": stats.exported, "failed": stats.failed] }
        let object: [String: Any] = [
            "schema_version": Self.schemaVersion,
            "run_id": s.runID,
            "mode": s.mode,
            "dry_run": s.dryRun,
            "started_at": Timestamp.format(s.startedAt),
            "finished_at": Timestamp.format(s.finishedAt),
            "duration_seconds": (s.finishedAt.timeIntervalSince(s.startedAt) * 1000).rounded() / 1000,
            "rows_per_second": (s.rowsPerSecond * 10).rounded() / 10,
            "counts": ["read": s.read, "exported": s.exported, "failed": s.failed, "skipped": s.skipped,
                       "possible_duplicates": s.possibleDuplicates],
            "failed_by_error_code": s.failedByCode,
            "owners_by_source": s.ownersBySource,
            "per_user": perUser,
            "config_checksum": config.checksum,
            "report": folder,
            "alert": alert as Any? ?? NSNull(),
        ]
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    }

    private func writeMails(_ s: SyncSummary, users: [String: UserStats], names: [String: String], failures: [Failure],
                            alert: String?, into dir: URL) throws -> [String] {
        let texts = MailTexts(language: config.mailLanguage)
        var files: [String] = []
        func save(_ message: MailMessage, _ file: String) throws {
            try ReportFiles.write(message.rendered(), to: dir.appendingPathComponent(file))
            files.append(file)
        }
        let host = ProcessInfo.processInfo.hostName
        if options.mailUsers {
            for (email, stats) in users.sorted(by: { $0.key < $1.key }) where email.contains("@") {
                let name = names[email] ?? email
                let message = MailMessage(
                    from: config.mailFrom, to: [(name, email)],
                    subject: texts.userSubject(exported: stats.exported, failed: stats.failed),
                    text: userText(texts, name: name, stats: stats), html: userHTML(texts, name: name, stats: stats),
                    date: s.finishedAt, id: "\(s.runID)-\(files.count)-\(Int(s.startedAt.timeIntervalSince1970))@\(host)")
                try save(message, "user-\(Self.fileSafe(email)).eml")
            }
        }
        var adminTo = config.reportTo.map { (name: "", address: $0) }
        if let requestedBy = options.requestedBy { adminTo = [(name: "", address: requestedBy)] }
        if !adminTo.isEmpty {
            let message = MailMessage(
                from: config.mailFrom, to: adminTo,
                subject: texts.adminSubject(runID: s.runID, exported: s.exported, failed: s.failed, alert: alert),
                text: texts.adminIntro + "\n\n" + ReportFiles.plain(SummaryText.render(s)) + (alert.map { "\nALERT: \($0)\n" } ?? "") + "\n" + texts.footer + "\n",
                html: SummaryHTML.render(s, failures: failures, alert: alert),
                date: s.finishedAt, id: "\(s.runID)-admin-\(Int(s.startedAt.timeIntervalSince1970))@\(host)")
            try save(message, "admin.eml")
        }
        return files
    }

    private func userText(_ t: MailTexts, name: String, stats: UserStats) -> String {
        var out = ReportFiles.plain(t.greeting(name)) + "\n\n" + t.userIntro(exported: stats.exported, failed: stats.failed) + "\n"
        if !stats.failures.isEmpty {
            out += "\n\(t.failedHeading):\n"
            for f in stats.failures {
                out += "- \(ReportFiles.plain(f.contact)): \(ReportFiles.plain(t.reason(code: f.code, message: f.message)))\n"
            }
            if stats.failed > stats.failures.count { out += t.more(stats.failed - stats.failures.count) + "\n" }
        }
        return out + "\n" + t.footer + "\n"
    }

    private func userHTML(_ t: MailTexts, name: String, stats: UserStats) -> String {
        var out = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body style=\"font-family:sans-serif\">"
        out += "<p>\(ReportFiles.html(t.greeting(name)))</p><p>\(ReportFiles.html(t.userIntro(exported: stats.exported, failed: stats.failed)))</p>"
        if !stats.failures.isEmpty {
            out += "<h3>\(ReportFiles.html(t.failedHeading))</h3><table border=\"1\" cellpadding=\"4\" style=\"border-collapse:collapse\">"
            out += "<tr><th>\(t.contactHeading)</th><th>\(t.reasonHeading)</th><th>\(t.recordHeading)</th></tr>"
            for f in stats.failures {
                out += "<tr><td>\(ReportFiles.html(f.contact))</td><td>\(ReportFiles.html(t.reason(code: f.code, message: f.message)))</td><td>\(ReportFiles.html(f.record))</td></tr>"
            }
            out += "</table>"
            if stats.failed > stats.failures.count { out += "<p>\(ReportFiles.html(t.more(stats.failed - stats.failures.count)))</p>" }
        }
        return out + "<p style=\"color:#666\">\(ReportFiles.html(t.footer))</p></body></html>"
    }

    static func fileSafe(_ s: String) -> String {
        String(s.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_" || $0 == "@" ? $0 : "_" })
    }
}
