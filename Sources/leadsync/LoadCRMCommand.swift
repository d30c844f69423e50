import ArgumentParser
import LeadSync

/// `leadsync load-crm DIR`: fills the local mirror from CSV exports (demos, tests, trials).
struct LoadCRMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load-crm",
        abstract: "Load users.csv, accounts.csv, leads.csv and contacts.csv from a folder into the local CRM mirror (demos and tests; production's mirror is Heroku Connect's)."
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("Folder with the CSV files (header = mirror column names).", valueName: "dir"))
    var directory: String

    func run() throws {
        try failing {
            let (config, db) = try global.open()
            let loaded = try CRMLoader(db: db, crmSchema: config.connection.crmSchema).load(directory: directory)
            print("loaded " + loaded.map { "\($0.rows) \($0.table)" }.joined(separator: ", "))
        }
    }
}
