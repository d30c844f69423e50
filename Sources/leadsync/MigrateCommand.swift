import ArgumentParser
import LeadSync

/// `leadsync migrate [--crm-mirror]`.
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create or upgrade the job's tables; --crm-mirror also creates the CRM mirror tables (local runs, demos, tests)."
    )

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Also create the Heroku Connect mirror tables (user, lead, contact, account).")
    var crmMirror = false

    func run() throws {
        try failing {
            let (config, db) = try global.open()
            let applied = try Migrator(db: db, options: config.connection).migrate(sets: crmMirror ? [.job, .crmMirror] : [.job])
            print(applied.isEmpty ? "\(db.displayURL): up to date" : "\(db.displayURL): applied \(applied.joined(separator: ", "))")
        }
    }
}
