import ArgumentParser
import Foundation
import LeadSync
import Logging

/// Options shared by `run`, `backfill` and `push`.
struct SyncOptionGroup: ParsableArguments {
    @Option(help: "Rows per batch (one transaction each). Default: batch_size from the config, else 5000.")
    var batchSize: Int?

    @Option(help: "Stop after this many rows of each stream (captured contacts, call events).")
    var limit: Int?

    @Flag(help: "Compute every outcome and print what would happen; write nothing to the database (the report is still written).")
    var dryRun = false

    @Option(help: ArgumentHelp("Folder for the run's report (default: report_dir from the config, else reports/).", valueName: "dir"))
    var reportDir: String?

    @Flag(help: "Hand the run's mails to the sendmail command (sendmail_command in the config).")
    var sendMail = false

    @Option(help: ArgumentHelp("Alert (exit 65, admin mail subject says so) when more than this percentage of rows failed.", valueName: "percent"))
    var maxFailureRate: Double?

    func validate() throws {
        if let b = batchSize, b < 1 || b > 100_000 { throw ValidationError("--batch-size must be between 1 and 100000") }
        if let l = limit, l < 1 { throw ValidationError("--limit must be at least 1") }
        if let p = maxFailureRate, p < 0 || p > 100 { throw ValidationError("--max-failure-rate is a percentage from 0 to 100") }
    }

    /// Applies the group to `options`.
    func apply(to options: inout SyncOptions) {
        options.batchSize = batchSize
        options.limit = limit
        options.dryRun = dryRun
    }
}

/// `--only`, for `run` and `backfill`: `push` exports captured contacts only and does not take it.
struct StreamOption: ParsableArguments {
    @Option(help: ArgumentHelp("Process only captured contacts or only call events (default: both, contacts first).", valueName: "contacts|calls"))
    var only: SyncOptions.Streams?
}

/// Exit status when the failure rate is above `--max-failure-rate` (sysexits EX_DATAERR).
let exitFailureRate: Int32 = 65
/// Exit status when a mail could not be handed to sendmail (sysexits EX_TEMPFAIL).
let exitMailDelivery: Int32 = 75

/// Runs a sync with the command's options, writes its report, sends its mails when asked, and
/// prints its summary. Exit 65 when the failure rate is above the limit, 75 when a mail could
/// not be delivered (the report keeps every message).
func runSync(_ global: GlobalOptions, _ group: SyncOptionGroup, _ options: SyncOptions, mailUsers: Bool = true, requestedBy: String? = nil) throws {
    var status: Int32 = 0
    try failing {
        let (config, db) = try global.open()
        LogSetup.once()
        var options = options
        var report = ReportOptions(directory: group.reportDir ?? config.reportDir)
        report.mailUsers = mailUsers
        report.requestedBy = requestedBy
        report.maxFailureRate = group.maxFailureRate.map { $0 / 100 }
        options.report = report
        let summary = try SyncJob(db: db, config: config, logger: Logger(label: "leadsync")).run(options)
        print(SummaryText.render(summary), terminator: "")
        guard let written = summary.report else { return }
        print("  report: \(written.folder.path)")
        if !written.noMail.isEmpty {
            print("  no mail: not a valid address: \(written.noMail.joined(separator: ", "))")
        }
        if let alert = written.alert {
            printError("leadsync: ALERT: \(alert)")
            status = exitFailureRate
        }
        if group.sendMail && !summary.dryRun {
            let failures = MailDelivery(command: config.sendmailCommand).send(written.mails)
            if failures.isEmpty {
                print("  mails sent: \(written.mails.count)")
            } else {
                let line = "mail delivery failed for \(failures.count) of \(written.mails.count) messages (kept in \(written.folder.path)/mail): \(failures[0])"
                printError("leadsync: \(line)")
                _ = try? db.transaction { try db.run("sync_run_note_error", ["id": .integer(summary.runID), "error": .text(line)]) }
                status = exitMailDelivery
            }
        }
    }
    if status != 0 { throw ExitCode(status) }
}

extension SyncOptions.Streams: ExpressibleByArgument {}
