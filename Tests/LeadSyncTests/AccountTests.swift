import Foundation
import Testing
@testable import LeadSync

/// SYNC_RULES.md §10: a contact's Account, matched by company key or created once per key; one
/// named test per rule, each on SQLite and PostgreSQL.
@Suite struct AccountTests {
    /// Each exported contact's account reference: (accountid, account__leadsync_id__c).
    static func references(_ t: TestDatabase) throws -> [String: (id: String?, external: String?)] {
        var out: [String: (String?, String?)] = [:]
        for row in try t.rawRows("SELECT leadsync_id__c, accountid, account__leadsync_id__c FROM contact WHERE leadsync_id__c IS NOT NULL") {
            out[row.string("leadsync_id__c") ?? ""] = (row.string("accountid"), row.string("account__leadsync_id__c"))
        }
        return out
    }

    @Test func companyKeyFoldsCasePunctuationAndSpacesAndDropsOneTrailingLegalForm() {
        let forms = CompanyKey.defaultLegalForms
        let cases: [(String, String?)] = [
            ("Müller GmbH", "müller"), ("  MÜLLER   gmbh. ", "müller"), ("Straße AG", "strasse"), ("Café Noir, Inc.", "café noir"),
            ("Foo-AG", "foo-ag"), ("AG", "ag"), ("Acme Sp. z o.o.", "acme"), ("Kunz e.K.", "kunz"), ("Smith & Co", "smith &"),
            ("Bau GmbH & Co. KG", "bau gmbh & co"), ("\"Quoted\" Ltd", "quoted"), ("Tab\tSeparated\u{00A0}Name", "tab separated name"),
            ("", nil), (" . , ", nil),
        ]
        for (company, key) in cases {
            #expect(CompanyKey.key(company, legalForms: forms) == key, "\(company)")
        }
        #expect(CompanyKey.key("Kunz e.K.", legalForms: ["gmbh"]) == "kunz ek", "only the configured forms")
    }

    @Test(arguments: TestEngine.available)
    func matchTakesTheLiveBusinessAccountMostRecentlyModifiedThenHighestID(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Scenario(t)
            s.config += "contact_account = \"match\"\n"
            s.businessAccount("001000000000000OLD", name: "Acme GmbH", stamp: "2025-01-01T00:00:00Z")
            s.businessAccount("001000000000000NEW", name: "ACME", stamp: "2026-01-01T00:00:00Z")
            s.businessAccount("001000000000000TIE", name: "acme.", stamp: "2026-01-01T00:00:00Z")
            s.businessAccount("001000000000000DEL", name: "Acme AG", deleted: true, stamp: "2026-06-01T00:00:00Z")
            s.accounts += "001000000000PERSON,Acme,Old,Acme,,,,true,false,2026-09-01T00:00:00Z\n"
            s.capture("acme", last: "Alpha", company: "  ACME ag ", email: "a@x.example", target: "contact")
            s.capture("unknown", last: "Beta", company: "Unknown Ltd", email: "b@x.example", target: "contact")
            s.capture("no-company", last: "Gamma", company: "", email: "c@x.example", target: "contact")
            s.capture("lead", last: "Delta", company: "Acme", email: "d@x.example", target: "lead")
            let (_, o) = try s.run()
            #expect(["acme", "unknown", "no-company", "lead"].allSatisfy { o[$0]?.status == "exported" })
            let refs = try Self.references(t)
            #expect(refs["acme"]?.id == "001000000000000TIE", "the same systemmodstamp: the highest mirror id")
            #expect(refs["acme"]?.external == nil)
            #expect(refs["unknown"].map { $0.id == nil && $0.external == nil } == true, "match creates no account")
            #expect(refs["no-company"].map { $0.id == nil && $0.external == nil } == true)
            #expect(try t.scalar("SELECT count(*) FROM account") == "5")
        }
    }

    @Test(arguments: TestEngine.available)
    func matchOrCreateMakesOneAccountPerKeySharedByEveryRowWithIt(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Scenario(t)
            s.config += "contact_account = \"match_or_create\"\n"
            s.capture("n1", last: "Alpha", company: "  Neu GmbH ", email: "a@x.example", target: "contact", minutesAgo: 50,
                      street: "Hauptstr. 1", postalCode: "10115", city: "Berlin", country: "DE", website: "https://neu.example")
            s.capture("n2", last: "Beta", company: "NEU AG", email: "b@x.example", by: "visitor@else.example", target: "contact", minutesAgo: 40,
                      city: "Hamburg")
            s.capture("o1", last: "Gamma", company: "Other", email: "c@x.example", by: "visitor@else.example", target: "contact", minutesAgo: 30)
            let (_, o) = try s.run(batchSize: 1)
            #expect(["n1", "n2", "o1"].allSatisfy { o[$0]?.status == "exported" })
            let accounts = try t.rawRows("""
                SELECT leadsync_id__c, name, website, billingstreet, billingpostalcode, billingcity, billingcountry, ownerid, sfid, _hc_lastop
                FROM account ORDER BY id
                """).map { row in ["leadsync_id__c", "name", "website", "billingstreet", "billingpostalcode", "billingcity", "billingcountry",
                                   "ownerid", "sfid", "_hc_lastop"].map { row.string($0) ?? "" } }
            #expect(accounts == [
                ["account:neu", "Neu GmbH", "https://neu.example", "Hauptstr. 1", "10115", "Berlin", "DE", "005000000000000001", "", "PENDING"],
                ["account:other", "Other", "", "", "", "", "", "005000000000000999", "", "PENDING"],
            ])
            #expect(try t.scalar("SELECT count(*) FROM account WHERE ispersonaccount = \(t.engine == .postgres ? "false" : "0")") == "2")
            let refs = try Self.references(t)
            #expect(refs["n1"]?.external == "account:neu")
            #expect(refs["n2"]?.external == "account:neu", "a later batch shares the account")
            #expect(refs["o1"]?.external == "account:other")
            #expect(refs.values.allSatisfy { $0.id == nil })
        }
    }

    @Test(arguments: TestEngine.available)
    func anAccountIsReferencedByItsExternalIDUntilItHasAnSfid(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Scenario(t)
            s.config += "contact_account = \"match_or_create\"\n"
            s.capture("n1", last: "Alpha", company: "Neu GmbH", email: "a@x.example", target: "contact")
            let (db, config) = try ClosedLoopTests.exportThenSync(s, [.init(object: "account", id: "account:neu", action: "stall")])
            let header = "external_id,source,captured_at,captured_by,target_object,last_name,company,email\n"
            try s.importLater(header + "n2,webform,2026-11-20T11:10:00Z,rep@example.com,contact,Beta,NEU,b@x.example\n", into: db)
            _ = try ClosedLoopTests.run(db, config, minutesLater: 10)
            #expect(try Self.references(t)["n2"]?.external == "account:neu", "the account Heroku Connect has not synced yet")
            #expect(try t.scalar("SELECT count(*) FROM account") == "1")
            try HerokuConnectSim.sync(t)
            try s.importLater(header + "n3,webform,2026-11-20T11:20:00Z,rep@example.com,contact,Gamma,neu gmbh,c@x.example\n", into: db)
            _ = try ClosedLoopTests.run(db, config, minutesLater: 20)
            let sfid = try #require(try t.scalar("SELECT sfid FROM account WHERE leadsync_id__c = 'account:neu'"))
            let refs = try Self.references(t)
            #expect(refs["n3"]?.id == sfid)
            #expect(refs["n3"]?.external == nil, "a contact carries exactly one reference")
            #expect(refs["n1"]?.id == sfid, "Heroku Connect resolved the earlier contacts' references")
        }
    }

    @Test(arguments: TestEngine.available)
    func otherLegalFormsKeyEveryAccountAgain(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Scenario(t)
            s.config += "contact_account = \"match\"\naccount_legal_forms = [\"gmbh\"]\n"
            s.businessAccount("001000000000000FOO", name: "Foo")
            s.capture("ag", last: "Alpha", company: "Foo AG", email: "a@x.example", target: "contact")
            let (db, config) = try s.load()
            _ = try SyncJob(db: db, config: config).run(Scenario.options())
            #expect(try Self.references(t)["ag"]?.id == nil, "with only gmbh, \"foo ag\" is not \"foo\"")
            try s.importLater("external_id,source,captured_at,captured_by,target_object,last_name,company,email\nag2,webform,2026-11-20T11:30:00Z,rep@example.com,contact,Beta,Foo AG,b@x.example\n",
                              into: db)
            var defaults = config
            defaults.accountLegalForms = CompanyKey.defaultLegalForms
            _ = try SyncJob(db: db, config: defaults).run(Scenario.options())
            #expect(try Self.references(t)["ag2"]?.id == "001000000000000FOO")
        }
    }

    @Test(arguments: TestEngine.available)
    func aCompanyTooLongForAnAccountNameFailsTheRowWhenAccountsAreCreated(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Scenario(t)
            s.config += "contact_account = \"match_or_create\"\n"
            s.capture("long", last: "Alpha", company: String(repeating: "Firma ", count: 50), email: "a@x.example", target: "contact")
            let (_, o) = try s.run()
            #expect(o["long"]?.code == "field_too_long")
            #expect(o["long"]?.message == "Company is 299 characters long; Salesforce allows 255 for the account's name.")
        }
    }
}
