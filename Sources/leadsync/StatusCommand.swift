import ArgumentParser
import LeadSync

/// `leadsync status`.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Captured contacts per status, and the last runs.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "How many recent runs to list.")
    var runs = 10

    func run() throws {
        try failing {
            let (_, db) = try global.open()
            print(try StatusReport(db: db).render(recentRuns: runs), terminator: "")
        }
    }
}
