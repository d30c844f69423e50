import CSV
import Foundation
@testable import LeadSync

/// The shared corpora: a CRM, captured contacts, and the outcome SYNC_RULES.md gives each one.
/// `corpus` (§1–8) and `corpus-phase2` (§10–11: accounts and routing, with its own leadsync.toml).
enum Corpus {
    static let phase1 = "corpus", phase2 = "corpus-phase2"
    static let directory = Fixtures.url(phase1)
    static let config = "fallback_owner = \"crm-admin@vertrieb.example\"\ndefault_region = \"DE\"\ndefault_target = \"lead\"\n"

    /// The configuration a corpus's outcomes assume.
    static func config(of corpus: String) throws -> String {
        corpus == phase1 ? config : try Fixtures.text("\(corpus)/leadsync.toml")
    }

    /// Rows of a corpus CSV as dictionaries.
    static func records(_ name: String, corpus: String = phase1) throws -> [[String: String]] {
        let reader = try CSVReader(string: try Fixtures.text("\(corpus)/\(name)"), hasHeaderRow: true)
        let header = reader.headerRow ?? []
        var out: [[String: String]] = []
        while let fields = reader.next() {
            out.append(Dictionary(uniqueKeysWithValues: zip(header, fields)))
        }
        return out
    }

    /// Migrates, loads the CRM and imports the captured rows through the CLI; returns the config path.
    static func load(into t: TestDatabase, corpus: String = phase1) throws -> String {
        let config = t.directory.appendingPathComponent("leadsync.toml")
        try Data(try Self.config(of: corpus).utf8).write(to: config)
        let directory = Fixtures.url(corpus)
        for args in [["migrate", "--crm-mirror"], ["load-crm", directory.path], ["import", directory.appendingPathComponent("captured.csv").path]] {
            let r = try CLI.run(args + ["--database", t.url, "--config", config.path])
            guard r.status == 0 else { throw UsageError("\(args[0]) failed: \(r.stderr)") }
        }
        return config.path
    }

    /// Each captured row's outcome as the expected.csv columns, read from the database; with
    /// phase 2's `account_ref` (the exported contact's `accountid`, else its
    /// `account__leadsync_id__c`) and `routing_rule`.
    static func outcomes(_ t: TestDatabase) throws -> [String: [String: String]] {
        var accounts: [String: String] = [:]
        for row in try t.rawRows("SELECT leadsync_id__c, COALESCE(accountid, account__leadsync_id__c) AS ref FROM contact WHERE leadsync_id__c IS NOT NULL") {
            accounts[row.string("leadsync_id__c") ?? ""] = row.string("ref")
        }
        return try Scenario.outcomes(try t.open()).reduce(into: [:]) { out, entry in
            let (id, o) = entry
            out[id] = ["status": o.status, "error_code": o.code ?? "", "crm_object": o.crmObject ?? "", "ownerid": o.owner ?? "",
                       "owner_source": o.ownerSource ?? "", "duplicate_of": o.status == "failed" ? (o.matched ?? "") : "",
                       "account_ref": o.status == "exported" && o.crmObject == "contact" ? (accounts[id] ?? "") : "", "routing_rule": o.rule ?? ""]
        }
    }

    /// The columns of `expected.csv` that differ from `actual`, per row: "id.column: expected … got …".
    static func mismatches(_ expected: [[String: String]], _ actual: [String: [String: String]]) -> [String] {
        var out: [String] = []
        for e in expected {
            let id = e["external_id"] ?? ""
            guard let a = actual[id] else { out.append("\(id): not in the database"); continue }
            for column in e.keys.sorted() where column != "external_id" && a[column] != e[column] {
                out.append("\(id).\(column): expected \(e[column] ?? "") got \(a[column] ?? "")")
            }
        }
        return out
    }
}
