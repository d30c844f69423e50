import CSV
import Foundation
@testable import LeadSync

/// The shared corpus: a CRM, captured contacts, and the outcome SYNC_RULES.md gives each one.
enum Corpus {
    static let directory = Fixtures.url("corpus")
    static let config = "fallback_owner = \"crm-admin@vertrieb.example\"\ndefault_region = \"DE\"\ndefault_target = \"lead\"\n"

    /// Rows of a corpus CSV as dictionaries.
    static func records(_ name: String) throws -> [[String: String]] {
        let reader = try CSVReader(string: try Fixtures.text("corpus/\(name)"), hasHeaderRow: true)
        let header = reader.headerRow ?? []
        var out: [[String: String]] = []
        while let fields = reader.next() {
            out.append(Dictionary(uniqueKeysWithValues: zip(header, fields)))
        }
        return out
    }

    /// Migrates, loads the CRM and imports the captured rows through the CLI; returns the config path.
    static func load(into t: TestDatabase) throws -> String {
        let config = t.directory.appendingPathComponent("leadsync.toml")
        try Data(Self.config.utf8).write(to: config)
        for args in [["migrate", "--crm-mirror"], ["load-crm", directory.path], ["import", directory.appendingPathComponent("captured.csv").path]] {
            let r = try CLI.run(args + ["--database", t.url, "--config", config.path])
            guard r.status == 0 else { throw UsageError("\(args[0]) failed: \(r.stderr)") }
        }
        return config.path
    }

    /// Each captured row's outcome as the expected.csv columns, read from the database.
    static func outcomes(_ t: TestDatabase) throws -> [String: [String: String]] {
        try Scenario.outcomes(try t.open()).mapValues { o in
            ["status": o.status, "error_code": o.code ?? "", "crm_object": o.crmObject ?? "", "ownerid": o.owner ?? "",
             "owner_source": o.ownerSource ?? "", "duplicate_of": o.status == "failed" ? (o.matched ?? "") : ""]
        }
    }
}
