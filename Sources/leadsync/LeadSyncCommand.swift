import ArgumentParser
import LeadSync

/// `leadsync`: moves captured contacts into the CRM mirror.
@main
struct LeadSyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leadsync",
        abstract: "Moves captured contacts and call events from their staging tables into the CRM (Heroku Connect mirror).",
        discussion: "Exit status: 0 the command did its work; 1 it could not (database unreachable, broken configuration, bad file); 64 wrong usage.",
        version: LeadSyncVersion.string,
        subcommands: [MigrateCommand.self, ImportCommand.self, ImportCallsCommand.self, RunCommand.self, BackfillCommand.self, PushCommand.self, RetryCommand.self, StatusCommand.self, ReportCommand.self, NormalizePhoneCommand.self, LoadCRMCommand.self]
    )

    @OptionGroup var global: GlobalOptions
}
