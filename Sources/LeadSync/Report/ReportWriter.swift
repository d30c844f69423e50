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
    /// Capturing users who got no mail because their `captured_by` is not a valid address.
    public let noMail: [String]
}

/// What a run's report says besides its counts: an alert, and the users it could not mail.
struct ReportNotes {
    /// Why the run alerts, if it does.
    var alert: String?
    /// `captured_by` values that are not valid addresses (no mail was written to them).
    var noMail: [String] = []

    /// The notes as lines under the printed summary (empty when there are none).
    var text: String {
        var out = ""
        if let alert { out += "  ALERT: \(alert)\n" }
        if !noMail.isEmpty { out += "  no mail: not a valid address: \(noMail.joined(separator: ", "))\n" }
        return out
    }
}

/// Writes one folder per run: summary.json / .txt / .html, exported.csv, failed.csv and mail/.
/// It is written under a hidden temporary name and renamed when complete, so a reader (or a
/// run killed half-way) never leaves half a report where reports are read. The CSV files grow
/// batch by batch as each batch commits (`add`), from the rows the batch already holds, so a
/// million-row run is never read back from the database; `finish` adds the summaries and mails.
/// Used by the run's thread alone.
public final class ReportWriter {
    /// The summary.json format's version; bumped when a field changes meaning (2: Salesforce's
    /// confirmations, owners per routing rule).
    public static let schemaVersion = 2
    static let failureListLimit = 1000
    static let header = ReportRow.capturedColumns + ReportRow.outcomeColumns

    let config: Configuration
    let options: ReportOptions
    let times: PhaseTimes
    private let name: String
    private let temp: URL
    private let names: [String: String]
    private let exportedCSV: TextFile
    private let failedCSV: TextFile
    private var users: [String: UserStats] = [:]
    private var failures: [Failure] = []
    private var captured = CapturedPositions()

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

    /// Starts the report of run `runID` (0 for a dry run) begun at `startedAt`: creates its
    /// hidden folder and CSV files and reads the users' names for the mails.
    init(db: any Database, config: Configuration, options: ReportOptions, runID: Int64, startedAt: Date, dryRun: Bool,
         times: PhaseTimes = PhaseTimes()) throws {
        self.config = config
        self.options = options
        self.times = times
        let stamp = Timestamp.format(startedAt).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
            .replacingOccurrences(of: ".", with: "")
        name = dryRun ? "dry-run-\(stamp)" : "run-\(runID)-\(stamp)"
        temp = URL(fileURLWithPath: options.directory).appendingPathComponent(".tmp-\(name)-\(getpid())")
        try FileManager.default.createDirectory(at: temp.appendingPathComponent("mail"), withIntermediateDirectories: true)
        var names: [String: String] = [:]
        for row in try db.rows("user_all") {
            if let email = row.string("email_key"), let n = row.string("name") { names[email] = n }
        }
        self.names = names
        exportedCSV = try TextFile(temp.appendingPathComponent("exported.csv"))
        failedCSV = try TextFile(temp.appendingPathComponent("failed.csv"))
        try exportedCSV.write(ReportFiles.csvLine(Self.header))
        try failedCSV.write(ReportFiles.csvLine(Self.header))
    }

    /// Adds a committed batch's rows to the CSV files and the users' counts.
    func add(_ rows: [ReportRow]) throws {
        try times.measure("report.rows") { try writeLines(rows) }
    }

    private func writeLines(_ rows: [ReportRow]) throws {
        for row in rows {
            let positions = captured.positions(for: row.captured)
            let user = OwnerResolver.userKey(row.captured.capturedBy)
            if row.status == "exported" {
                try exportedCSV.write { row.appendCSVLine(positions: positions, to: &$0) }
                users[user, default: UserStats()].exported += 1
            } else {
                try failedCSV.write { row.appendCSVLine(positions: positions, to: &$0) }
                let first = row.captured["first_name"], last = row.captured["last_name"], company = row.captured["company"]
                let contact = [first, last].compactMap { $0 }.joined(separator: " ") + (company.map { $0.isEmpty ? "" : " (\($0))" } ?? "")
                let failure = Failure(contact: contact, externalID: row.captured.externalID, code: row.errorCode ?? "",
                                      message: row.errorMessage ?? "", record: row.crmRecord ?? "")
                users[user, default: UserStats()].failed += 1
                if users[user, default: UserStats()].failures.count < 200 { users[user, default: UserStats()].failures.append(failure) }
                if failures.count < Self.failureListLimit { failures.append(failure) }
            }
        }
    }

    /// Removes the unfinished folder: a run that fails writes no report (sync_run keeps its error
    /// and the counts of the batches that committed before it failed).
    func discard() {
        try? exportedCSV.close()
        try? failedCSV.close()
        try? FileManager.default.removeItem(at: temp)
    }

    /// Writes the summaries and mails of `summary`'s run and publishes the folder.
    func finish(_ summary: SyncSummary) throws -> WrittenReport {
        try exportedCSV.close()
        try failedCSV.close()
        let fm = FileManager.default
        let final = URL(fileURLWithPath: options.directory).appendingPathComponent(name)
        var notes = ReportNotes()
        if let limit = options.maxFailureRate, summary.read > 0 {
            let rate = Double(summary.failed) / Double(summary.read)
            if rate > limit { notes.alert = String(format: "failure rate %.1f%% above the limit of %.1f%%", rate * 100, limit * 100) }
        }
        // A user mail goes only to a valid address, never to one made from it: `karl heinz@…`
        // with its space taken out would be someone else's.
        if options.mailUsers { notes.noMail = users.keys.filter { !$0.isEmpty && !MatchKeys.isValidEmail($0) }.sorted() }
        try ReportFiles.write(String(decoding: summaryJSON(summary, folder: name, notes: notes), as: UTF8.self),
                              to: temp.appendingPathComponent("summary.json"))
        try ReportFiles.write(SummaryText.render(summary) + notes.text, to: temp.appendingPathComponent("summary.txt"))
        try ReportFiles.write(SummaryHTML.render(summary, failures: failures, notes: notes), to: temp.appendingPathComponent("summary.html"))
        let mails = try times.measure("report.mails") { try writeMails(summary, notes: notes, into: temp.appendingPathComponent("mail")) }

        times.measure("report.sync") { ReportFiles.syncFileSystem(temp) }
        if fm.fileExists(atPath: final.path) { try fm.removeItem(at: final) }
        try fm.moveItem(at: temp, to: final)
        return WrittenReport(folder: final, mails: mails.map { final.appendingPathComponent("mail").appendingPathComponent($0) },
                             alert: notes.alert, noMail: notes.noMail)
    }

    /// summary.json's layout (keys in snake case, sorted, as the file has always had them).
    private struct SummaryDocument: Encodable {
        struct Counts: Encodable {
            let read, exported, failed, skipped: Int
            let possible_duplicates: Int
        }
        struct UserCounts: Encodable {
            let exported, failed: Int
        }
        let schema_version: Int
        let run_id: Int64
        let mode: String
        let dry_run: Bool
        let started_at: String
        let finished_at: String
        let duration_seconds: Double
        let rows_per_second: Double
        let counts: Counts
        let failed_by_error_code: [String: Int]
        let owners_by_source: [String: Int]
        let per_user: [String: UserCounts]
        let config_checksum: String
        let report: String
        /// null when the run does not alert (a plain optional would leave the key out).
        let alert: OrNull<String>
        /// Capturing users who got no mail, and why.
        let no_mail: [NoMail]
        /// Routed rows per routing rule.
        let owners_by_rule: [String: Int]
        /// What Salesforce said of rows exported earlier.
        let confirmations: Confirmations
        /// What the run did to call events (zeros when it processed none).
        let calls: Calls

        struct Calls: Encodable {
            let read, logged, waiting, skipped, failed, tasks_written, utm_filled: Int
            let skipped_by_code, failed_by_code, records_created: [String: Int]
            let per_agent: [String: [String: Int]]
            /// Per owner sfid: tasks completed and open, opportunities created (the deals profile's managers).
            let tasks_per_manager: [String: [String: Int]]
        }

        struct Confirmations: Encodable {
            let confirmed, rejected, unconfirmed: Int
            /// The first rows failed now, with Salesforce's reason.
            let rejected_rows: [Rejected]
            /// The first rows unconfirmed past max_wait_minutes.
            let unconfirmed_rows: [Unconfirmed]
        }
        struct Rejected: Encodable {
            let external_id, error_code, message: String
        }
        struct Unconfirmed: Encodable {
            let external_id, record, exported_at: String
        }

        struct NoMail: Encodable {
            let captured_by: String
            let reason: String
        }

        struct OrNull<T: Encodable>: Encodable {
            let value: T?
            func encode(to encoder: any Encoder) throws {
                var c = encoder.singleValueContainer()
                try c.encode(value)
            }
        }
    }

    private static func calls(_ c: CallSummary) -> SummaryDocument.Calls {
        .init(read: c.read, logged: c.logged, waiting: c.waiting, skipped: c.skipped, failed: c.failed, tasks_written: c.tasks, utm_filled: c.utmFilled,
              skipped_by_code: c.skippedByCode, failed_by_code: c.failedByCode, records_created: c.created, per_agent: c.perAgent,
              tasks_per_manager: c.tasksPerManager)
    }

    /// JSONEncoder, not JSONSerialization: the latter spends seconds sorting 5,000 users' keys
    /// through AnyHashable.
    private func summaryJSON(_ s: SyncSummary, folder: String, notes: ReportNotes) throws -> Data {
        var perUser: [String: SummaryDocument.UserCounts] = [:]
        for (email, stats) in users { perUser[email.isEmpty ? "(unknown)" : email] = .init(exported: stats.exported, failed: stats.failed) }
        let document = SummaryDocument(
            schema_version: Self.schemaVersion, run_id: s.runID, mode: s.mode, dry_run: s.dryRun,
            started_at: Timestamp.format(s.startedAt), finished_at: Timestamp.format(s.finishedAt),
            duration_seconds: (s.finishedAt.timeIntervalSince(s.startedAt) * 1000).rounded() / 1000,
            rows_per_second: (s.rowsPerSecond * 10).rounded() / 10,
            counts: .init(read: s.read, exported: s.exported, failed: s.failed, skipped: s.skipped, possible_duplicates: s.possibleDuplicates),
            failed_by_error_code: s.failedByCode, owners_by_source: s.ownersBySource, per_user: perUser,
            config_checksum: config.checksum, report: folder, alert: .init(value: notes.alert),
            no_mail: notes.noMail.map { .init(captured_by: $0, reason: "not a valid address") }, owners_by_rule: s.ownersByRule,
            confirmations: .init(confirmed: s.confirmed, rejected: s.rejected, unconfirmed: s.unconfirmed,
                                 rejected_rows: s.rejectedRows.map { .init(external_id: $0.externalID, error_code: $0.errorCode, message: $0.message) },
                                 unconfirmed_rows: s.unconfirmedRows.map { .init(external_id: $0.externalID, record: $0.record, exported_at: $0.exportedAt) }),
            calls: Self.calls(s.calls ?? CallSummary()))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(document)
    }

    private func writeMails(_ s: SyncSummary, notes: ReportNotes, into dir: URL) throws -> [String] {
        let texts = MailTexts(language: config.mailLanguage)
        var files: [String] = []
        func save(_ message: MailMessage, _ file: String) throws {
            try ReportFiles.write(message.rendered(), to: dir.appendingPathComponent(file))
            files.append(file)
        }
        let host = ProcessInfo.processInfo.hostName
        if options.mailUsers {
            // One mail per capturing user (5,000 in the bench).
            let recipients = users.filter { MatchKeys.isValidEmail($0.key) }.sorted { $0.key < $1.key }
            for (i, (email, stats)) in recipients.enumerated() {
                let name = names[email] ?? email
                let message = MailMessage(
                    from: config.mailFrom, to: [(name, email)],
                    subject: texts.userSubject(exported: stats.exported, failed: stats.failed),
                    text: userText(texts, name: name, stats: stats), html: userHTML(texts, name: name, stats: stats),
                    date: s.finishedAt, id: "\(s.runID)-\(i)-\(Int(s.startedAt.timeIntervalSince1970))@\(host)")
                try save(message, "user-\(Self.fileSafe(email)).eml")
            }
        }
        var adminTo = config.reportTo.map { (name: "", address: $0) }
        if let requestedBy = options.requestedBy { adminTo = [(name: "", address: requestedBy)] }
        if !adminTo.isEmpty {
            let message = MailMessage(
                from: config.mailFrom, to: adminTo,
                subject: texts.adminSubject(runID: s.runID, exported: s.exported, failed: s.failed,
                                            alert: notes.alert ?? (s.unconfirmed > 0 ? "\(s.unconfirmed) exported contacts not confirmed by Salesforce" : nil)),
                text: texts.adminIntro + "\n\n" + ReportFiles.plain(SummaryText.render(s) + notes.text) + "\n" + texts.footer + "\n",
                html: SummaryHTML.render(s, failures: failures, notes: notes),
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
