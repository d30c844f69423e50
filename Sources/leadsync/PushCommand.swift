import ArgumentParser
import LeadSync

/// `leadsync push ID…`: a manual export of named rows, failed ones included.
struct PushCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Export the given external ids now, also when they failed before (a manual re-push)."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var sync: SyncOptionGroup

    @Option(help: ArgumentHelp("Email of the person who asked for the push; the summary is for them.", valueName: "email"))
    var requestedBy: String

    @Argument(help: ArgumentHelp("External ids of captured contacts.", valueName: "external-id"))
    var externalIDs: [String]

    func validate() throws {
        if externalIDs.isEmpty { throw ValidationError("give at least one external id") }
        if !MatchKeys.isValidEmail(requestedBy) { throw ValidationError("--requested-by must be a valid email address") }
    }

    func run() throws {
        var options = SyncOptions(mode: .push)
        sync.apply(to: &options)
        options.pushIDs = externalIDs
        print("push requested by \(requestedBy)")
        try runSync(global, sync, options, mailUsers: false, requestedBy: requestedBy)
    }
}
