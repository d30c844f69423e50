import ArgumentParser
import LeadSync

/// `leadsync run`: the cron job.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Export eligible pending contacts (captured at least --settle-minutes ago) to the CRM and print the summary."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var sync: SyncOptionGroup
    @OptionGroup var stream: StreamOption

    @Option(help: "Minutes a captured contact waits before it is exported (default: settle_minutes from the config, else 5).")
    var settleMinutes: Int?

    func validate() throws {
        if let s = settleMinutes, s < 0 { throw ValidationError("--settle-minutes must be 0 or more") }
    }

    func run() throws {
        var options = SyncOptions(mode: .run)
        sync.apply(to: &options)
        options.only = stream.only
        options.settleMinutes = settleMinutes
        try runSync(global, sync, options)
    }
}
