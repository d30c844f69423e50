import ArgumentParser
import LeadSync

/// `leadsync import-calls FILE.csv`.
struct ImportCallsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-calls",
        abstract: "Load call events from a CSV file (header = call_event column names) as pending events, all or nothing."
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("The CSV file (RFC 4180, UTF-8).", valueName: "file.csv"))
    var file: String

    func run() throws { try importFile(file, into: .callEvents, global) }
}
