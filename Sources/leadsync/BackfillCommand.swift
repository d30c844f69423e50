import ArgumentParser
import Foundation
import LeadSync

/// `leadsync backfill`: a one-off export of every pending row, however old.
struct BackfillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backfill",
        abstract: "Export every pending contact whatever its age; resumable (each batch commits), with a progress line on a terminal."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var sync: SyncOptionGroup
    @OptionGroup var stream: StreamOption

    @Option(help: ArgumentHelp("Only contacts captured at or after this ISO-8601 time.", valueName: "time"))
    var since: String?

    @Option(help: ArgumentHelp("Only contacts captured before this ISO-8601 time.", valueName: "time"))
    var until: String?

    @Flag(help: "Also write (and with --send-mail, send) a mail to every capturing user; a backfill mails only the admin by default.")
    var notifyUsers = false

    func validate() throws {
        for (name, value) in [("--since", since), ("--until", until)] {
            if let value, Timestamp.parse(value) == nil { throw ValidationError("\(name) must be an ISO-8601 time such as 2026-11-01T00:00:00Z") }
        }
    }

    func run() throws {
        var options = SyncOptions(mode: .backfill)
        sync.apply(to: &options)
        options.only = stream.only
        options.since = since.flatMap(Timestamp.parse)
        options.until = until.flatMap(Timestamp.parse)
        if isatty(STDERR_FILENO) == 1 {
            let started = Date()
            options.progress = { done, total in
                let elapsed = max(Date().timeIntervalSince(started), 0.001)
                let rate = Double(done) / elapsed
                let eta = rate > 0 ? Double(max(total - done, 0)) / rate : 0
                let line = String(format: "\r%d/%d rows, %.0f rows/s, ETA %.0fs   ", done, total, rate, eta)
                FileHandle.standardError.write(Data(line.utf8))
                if done >= total { FileHandle.standardError.write(Data("\n".utf8)) }
            }
        }
        try runSync(global, sync, options, mailUsers: notifyUsers)
    }
}
