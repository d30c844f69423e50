import ArgumentParser
import LeadSync

/// `leadsync import FILE.csv`.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load captured contacts from a CSV file (header = captured_contact column names) as pending rows, all or nothing."
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("The CSV file (RFC 4180, UTF-8).", valueName: "file.csv"))
    var file: String

    func run() throws { try importFile(file, into: .capturedContacts, global) }
}

/// Imports `file` into `table` (`import`, `import-calls`) and prints what it did.
func importFile(_ file: String, into table: StagingTable, _ global: GlobalOptions) throws {
    try failing {
        let (_, db) = try global.open()
        let summary = try CSVImporter(db: db, table: table).importFile(path: file)
        print("imported \(file): \(summary.description)")
    }
}
