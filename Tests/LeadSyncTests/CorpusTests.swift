import Foundation
import Testing
@testable import LeadSync

/// The whole public corpus through the CLI on both engines: every row's outcome equals
/// expected.csv, and every mirror row written equals SYNC_RULES.md §7.
@Suite struct CorpusTests {
    @Test(arguments: TestEngine.available)
    func everyRowMatchesExpectedAndMirrorRowsFollowTheMapping(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            let config = try Corpus.load(into: t)
            let run = try CLI.run(["run", "--settle-minutes", "0", "--database", t.url, "--config", config])
            #expect(run.status == 0, "\(run.stderr)")
            let expected = try Corpus.records("expected.csv")
            let actual = try Corpus.outcomes(t)
            var mismatches: [String] = []
            for e in expected {
                let id = e["external_id"] ?? ""
                guard let a = actual[id] else { mismatches.append("\(id): not in the database"); continue }
                for column in ["status", "error_code", "crm_object", "ownerid", "owner_source", "duplicate_of"] where a[column] != e[column] {
                    mismatches.append("\(id).\(column): expected \(e[column] ?? "") got \(a[column] ?? "")")
                }
            }
            print("corpus on \(engine): \(expected.count - Set(mismatches.map { $0.prefix(10) }).count)/\(expected.count) rows as expected")
            #expect(mismatches.isEmpty, "\(mismatches.count) mismatches:\n\(mismatches.prefix(40).joined(separator: "\n"))")
            #expect(run.stdout.contains("\(expected.filter { $0["status"] == "exported" }.count) contacts exported"))
            try checkMirrorRows(t, expected: expected)
        }
    }

    /// §7: what is written for each exported row, computed here from captured.csv.
    func checkMirrorRows(_ t: TestDatabase, expected: [[String: String]]) throws {
        let captured = Dictionary(uniqueKeysWithValues: try Corpus.records("captured.csv").map { ($0["external_id"] ?? "", $0) })
        let phones = try PhoneNormalizer(defaultRegion: "DE")
        let sources = ["lemontaps": "Lemontaps", "webform": "Web", "calendly": "Calendly"]
        func clean(_ s: String?) -> String? {
            let v = MatchKeys.trim(s ?? "")
            return v.isEmpty ? nil : v
        }
        func phone(_ s: String?) -> String? { clean(s).map { phones.normalize($0).e164 ?? $0 } }
        var checked = 0
        var problems: [String] = []
        let columnsByObject = ["lead": ["salutation", "firstname", "lastname", "title", "email", "phone", "mobilephone", "description", "leadsource", "ownerid", "leadsync_id__c", "_hc_lastop", "sfid", "company", "website", "street", "postalcode", "city", "country"],
                               "contact": ["salutation", "firstname", "lastname", "title", "email", "phone", "mobilephone", "description", "leadsource", "ownerid", "leadsync_id__c", "_hc_lastop", "sfid", "department", "mailingstreet", "mailingpostalcode", "mailingcity", "mailingcountry"]]
        var mirror: [String: [String: [Row]]] = [:]
        for (object, columns) in columnsByObject {
            for row in try t.rawRows("SELECT \(columns.joined(separator: ", ")) FROM \(object) WHERE leadsync_id__c IS NOT NULL") {
                mirror[object, default: [:]][row.string("leadsync_id__c") ?? "", default: []].append(row)
            }
        }
        for e in expected where e["status"] == "exported" {
            let id = e["external_id"] ?? ""
            guard let c = captured[id] else { continue }
            let object = e["crm_object"] ?? ""
            var want: [String: String?] = [
                "salutation": clean(c["salutation"]), "firstname": clean(c["first_name"]), "lastname": clean(c["last_name"]),
                "title": clean(c["title"]), "email": clean(c["email"]), "phone": phone(c["phone"]), "mobilephone": phone(c["mobile"]),
                "description": clean(c["notes"]), "leadsource": clean(c["source"]).map { sources[$0] ?? $0 },
                "ownerid": e["ownerid"], "leadsync_id__c": id, "_hc_lastop": "PENDING", "sfid": nil,
            ]
            if object == "lead" {
                want.merge(["company": clean(c["company"]), "website": clean(c["website"]), "street": clean(c["street"]),
                            "postalcode": clean(c["postal_code"]), "city": clean(c["city"]), "country": clean(c["country"])]) { $1 }
            } else {
                want.merge(["department": clean(c["department"]), "mailingstreet": clean(c["street"]),
                            "mailingpostalcode": clean(c["postal_code"]), "mailingcity": clean(c["city"]),
                            "mailingcountry": clean(c["country"])]) { $1 }
            }
            let columns = want.keys.sorted()
            let rows = mirror[object]?[id] ?? []
            guard rows.count == 1, let row = rows.first else { problems.append("\(id): \(rows.count) \(object) rows"); continue }
            for column in columns where row.string(column) != (want[column] ?? nil) {
                problems.append("\(id).\(column): expected \(String(describing: want[column] ?? nil)) got \(String(describing: row.string(column)))")
            }
            checked += 1
        }
        #expect(checked == expected.filter { $0["status"] == "exported" }.count)
        #expect(problems.isEmpty, "\(problems.count) mirror differences:\n\(problems.prefix(30).joined(separator: "\n"))")
        #expect(try t.scalar("SELECT count(*) FROM lead WHERE leadsync_id__c IS NOT NULL AND isdeleted = \(t.engine == .postgres ? "false" : "0")")
                == String(expected.filter { $0["status"] == "exported" && $0["crm_object"] == "lead" }.count))
    }
}
