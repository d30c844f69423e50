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
            let mismatches = Corpus.mismatches(expected, try Corpus.outcomes(t))
            print("corpus on \(engine): \(expected.count - Set(mismatches.map { $0.prefix(10) }).count)/\(expected.count) rows as expected")
            #expect(mismatches.isEmpty, "\(mismatches.count) mismatches:\n\(mismatches.prefix(40).joined(separator: "\n"))")
            #expect(run.stdout.contains("\(expected.filter { $0["status"] == "exported" }.count) contacts exported"))
            try checkMirrorRows(t, expected: expected)
        }
    }

    /// The phase-2 corpus (§10–11, with its leadsync.toml): every row's owner, routing rule and
    /// account as expected.csv gives them, and the accounts the run creates as
    /// expected_accounts.csv lists them, in the order their first row is processed.
    @Test(arguments: TestEngine.available)
    func phaseTwoCorpusGivesEveryOwnerRuleAndAccount(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            let config = try Corpus.load(into: t, corpus: Corpus.phase2)
            let run = try CLI.run(["run", "--settle-minutes", "0", "--database", t.url, "--config", config])
            #expect(run.status == 0, "\(run.stderr)")
            let expected = try Corpus.records("expected.csv", corpus: Corpus.phase2)
            let mismatches = Corpus.mismatches(expected, try Corpus.outcomes(t))
            print("corpus-phase2 on \(engine): \(expected.count - Set(mismatches.map { $0.prefix(10) }).count)/\(expected.count) rows as expected")
            #expect(mismatches.isEmpty, "\(mismatches.count) mismatches:\n\(mismatches.prefix(40).joined(separator: "\n"))")
            let columns = ["leadsync_id__c", "name", "website", "billingstreet", "billingpostalcode", "billingcity", "billingcountry", "ownerid"]
            let created = try t.rawRows("SELECT \(columns.joined(separator: ", ")) FROM account WHERE leadsync_id__c IS NOT NULL AND sfid IS NULL AND _hc_lastop = 'PENDING' ORDER BY id")
                .map { row in columns.map { row.string($0) ?? "" } }
            let preexisting = Set(try Corpus.records("accounts.csv", corpus: Corpus.phase2).compactMap { $0["leadsync_id__c"] })
            let want = try Corpus.records("expected_accounts.csv", corpus: Corpus.phase2).map { e in columns.map { e[$0] ?? "" } }
            #expect(created.filter { !preexisting.contains($0[0]) } == want)
            #expect(try t.scalar("SELECT count(*) FROM contact WHERE accountid IS NOT NULL AND account__leadsync_id__c IS NOT NULL") == "0",
                    "a contact carries one account reference")
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
