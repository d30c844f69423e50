import Foundation
import Testing
@testable import LeadSync

/// One small, named test per rule of SYNC_RULES.md, each on SQLite and PostgreSQL.
@Suite struct SyncRuleTests {
    // §1
    @Test(arguments: TestEngine.available)
    func settleWindowKeepsFreshRowsPending(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Scenario(t)
            s.capture("old", last: "Alpha", email: "a@x.example", minutesAgo: 6)
            s.capture("fresh", last: "Beta", email: "b@x.example", minutesAgo: 4)
            let (summary, o) = try s.run()
            #expect(o["old"]?.status == "exported")
            #expect(o["fresh"]?.status == "pending")
            #expect(summary.read == 1)
        }
    }

    @Test(arguments: TestEngine.available)
    func backfillTakesEveryPendingRowWithinSinceAndUntil(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Scenario(t)
            s.capture("ancient", last: "Alpha", email: "a@x.example", minutesAgo: 60 * 24 * 400)
            s.capture("fresh", last: "Beta", email: "b@x.example", minutesAgo: 1)
            s.capture("middle", last: "Gamma", email: "c@x.example", minutesAgo: 60 * 24 * 30)
            let (_, o) = try s.run(.backfill) { $0.since = Scenario.now.addingTimeInterval(-86400 * 365) }
            #expect(o["ancient"]?.status == "pending")
            #expect(o["middle"]?.status == "exported")
            #expect(o["fresh"]?.status == "exported", "backfill ignores the settle window")
        }
    }

    @Test(arguments: TestEngine.available)
    func earlierRowWinsInProcessingOrder(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Scenario(t)
            s.capture("second", last: "Alpha", email: "same@x.example", minutesAgo: 30)
            s.capture("first", last: "Beta", email: "same@x.example", minutesAgo: 40)
            let (_, o) = try s.run()
            #expect(o["first"]?.status == "exported")
            #expect(o["second"]?.code == "duplicate_email")
            #expect(o["second"]?.matched == "first")
        }
    }

    // §2
    @Test(arguments: TestEngine.available)
    func emptyTargetUsesTheConfiguredDefault(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Scenario(t)
            s.config += "default_target = \"contact\"\n"
            s.capture("default", last: "Alpha", company: "", email: "a@x.example")
            s.capture("lead", last: "Beta", email: "b@x.example", target: "lead")
            let (_, o) = try s.run()
            #expect(o["default"]?.crmObject == "contact")
            #expect(o["default"]?.status == "exported", "a contact needs no company")
            #expect(o["lead"]?.crmObject == "lead")
        }
    }

    // §4
    @Test(arguments: TestEngine.available)
    func validationFailuresInOrder(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Scenario(t)
            s.capture("noname", last: "", first: "", company: "", email: "bad")
            s.capture("nocompany", last: "Alpha", company: "", email: "bad")
            s.capture("bademail", last: "Beta", email: "two@@x.example")
            s.capture("bademail2", last: "Gamma", email: "a b@x.example")
            s.capture("bademail3", last: "Delta", email: "a@x..example")
            s.capture("toolong", last: "Epsilon", email: "e@x.example", title: String(repeating: "T", count: 129))
            s.capture("fine", last: "Zeta", email: " Fine@X.example ", title: String(repeating: "T", count: 128))
            let (_, o) = try s.run()
            #expect(o["noname"]?.code == "missing_name")
            #expect(o["nocompany"]?.code == "missing_company")
            #expect(o["bademail"]?.code == "invalid_email")
            #expect(o["bademail2"]?.code == "invalid_email")
            #expect(o["bademail3"]?.code == "invalid_email")
            #expect(o["toolong"]?.code == "field_too_long")
            #expect(o["toolong"]?.message?.contains("129") == true && o["toolong"]?.message?.contains("128") == true)
            #expect(o["fine"]?.status == "exported")
        }
    }

    // §5
    @Test(arguments: TestEngine.available)
    func priorityContactOverLeadOverPersonAccount(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Scenario(t)
            s.lead("00Q000000000000001", last: "Alpha", email: "p@x.example", stamp: "2026-10-01T00:00:00Z")
            s.contact("003000000000000001", last: "Alpha", email: "P@x.example", stamp: "2025-01-01T00:00:00Z")
            s.personAccount("001000000000000001", last: "Alpha", email: "p@x.example", stamp: "2026-11-01T00:00:00Z")
            s.lead("00Q000000000000002", last: "Beta", email: "q@x.example")
            s.personAccount("001000000000000002", last: "Beta", email: "q@x.example", stamp: "2026-11-01T00:00:00Z")
            s.personAccount("001000000000000003", last: "Gamma", email: "r@x.example")
            s.capture("c1", last: "Alpha", email: "p@x.example")
            s.capture("c2", last: "Beta", email: "q@x.example")
            s.capture("c3", last: "Gamma", email: "r@x.example")
            let (_, o) = try s.run()
            #expect(o["c1"]?.matched == "003000000000000001")
            #expect(o["c1"]?.crmObject == "contact")
            #expect(o["c2"]?.matched == "00Q000000000000002")
            #expect(o["c3"]?.matched == "001000000000000003")
            #expect(o["c3"]?.crmObject == "account")
        }
    }

    @Test(arguments: TestEngine.available)
    func mostRecentSystemModstampWithinAnObject(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Scenario(t)
            s.lead("00Q000000000000001", last: "Alpha", email: "p@x.example", stamp: "2024-01-01T00:00:00Z")
            s.lead("00Q000000000000002", last: "Alpha", email: "p@x.example", stamp: "2026-06-01T00:00:00Z")
            s.lead("00Q000000000000003", last: "Alpha", email: "p@x.example", stamp: "2025-01-01T00:00:00Z")
            s.capture("c1", last: "Alpha", email: "p@x.example")
            let (_, o) = try s.run()
            #expect(o["c1"]?.matched == "00Q000000000000002")
            #expect(o["c1"]?.message?.contains("00Q000000000000002") == true)
        }
    }

    @Test(arguments: TestEngine.available)
    func deletedCRMRowsAreIgnored(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Scenario(t)
            s.lead("00Q000000000000001", last: "Alpha", email: "p@x.example", deleted: true)
            s.capture("c1", last: "Alpha", email: "p@x.example")
            let (_, o) = try s.run()
            #expect(o["c1"]?.status == "exported")
        }
    }

    @Test(arguments: TestEngine.available)
    func emailWinsOverPhoneAndPhoneNeedsTheSameSurname(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Scenario(t)
            s.lead("00Q000000000000001", last: "Alpha", phone: "+49 30 1234567")
            s.contact("003000000000000001", last: "Other", email: "p@x.example")
            s.contact("003000000000000002", last: "Müller", mobile: "0171 2345678")
            s.capture("both", last: "Alpha", email: "p@x.example", phone: "030 1234567")
            s.capture("phone", last: "alpha ", email: "new@x.example", phone: "(030) 123 45 67")
            s.capture("accent", last: "MULLER", email: "mm@x.example", mobile: "+49 171 2345678")
            s.capture("switchboard", last: "Somebody", email: "s@x.example", phone: "+49301234567")
            let (summary, o) = try s.run()
            #expect(o["both"]?.code == "duplicate_email")
            #expect(o["both"]?.matched == "003000000000000001")
            #expect(o["phone"]?.code == "duplicate_phone")
            #expect(o["phone"]?.matched == "00Q000000000000001")
            #expect(o["accent"]?.code == "duplicate_phone", "last-name keys fold case and accents")
            #expect(o["switchboard"]?.status == "exported", "a shared number with another surname is not a duplicate")
            #expect(summary.possibleDuplicates == 1)
        }
    }

    @Test(arguments: TestEngine.available)
    func inBatchDuplicatesAcrossBatchBoundaries(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Scenario(t)
            for i in 0..<7 { s.capture("fill\(i)", last: "Fill\(i)", email: "f\(i)@x.example", minutesAgo: 100 - i) }
            s.capture("a", last: "Alpha", email: "p@x.example", phone: "030 1234567", minutesAgo: 50)
            s.capture("b", last: "Beta", email: "P@X.example", minutesAgo: 40)
            s.capture("c", last: "Alpha", email: "other@x.example", phone: "+49 30 1234567", minutesAgo: 30)
            s.capture("d", last: "Alpha", email: "d@x.example", phone: "+49 30 1234567", minutesAgo: 20)
            let (summary, o) = try s.run(batchSize: 3)
            #expect(o["a"]?.status == "exported")
            #expect(o["b"]?.code == "duplicate_email")
            #expect(o["b"]?.matched == "a", "names the record created for the earlier row")
            #expect(o["b"]?.message?.contains("created in this run for a") == true)
            #expect(o["c"]?.code == "duplicate_phone")
            #expect(o["d"]?.code == "duplicate_phone")
            #expect(o["d"]?.matched == "a")
            #expect(summary.read == 11)
        }
    }

    @Test(arguments: TestEngine.available)
    func rowsExportedByEarlierRunsAreCRMRecords(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Scenario(t)
            s.capture("a", last: "Alpha", email: "p@x.example", minutesAgo: 50)
            let (db, config) = try s.load()
            var options = Scenario.options()
            _ = try SyncJob(db: db, config: config).run(options)
            try s.importLater("external_id,last_name,company,email,captured_at\nb,Beta,ACME,p@x.example,2026-11-20T11:00:00Z\n", into: db)
            options.clock = { Scenario.now.addingTimeInterval(3600) }
            _ = try SyncJob(db: db, config: config).run(options)
            let o = try Scenario.outcomes(db)
            #expect(o["b"]?.code == "duplicate_email")
            #expect(o["b"]?.matched == "a")
            #expect(o["b"]?.message?.contains("not yet synced") == true)
        }
    }

    // §6
    @Test(arguments: TestEngine.available)
    func ownerIsTheActiveCapturerElseTheFallback(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Scenario(t)
            s.capture("active", last: "Alpha", email: "a@x.example", by: " REP@example.com ")
            s.capture("inactive", last: "Beta", email: "b@x.example", by: "gone@example.com")
            s.capture("unknown", last: "Gamma", email: "c@x.example", by: "stranger@example.com")
            s.capture("nobody", last: "Delta", email: "d@x.example", by: "")
            let (summary, o) = try s.run()
            #expect(o["active"]?.owner == "005000000000000001")
            #expect(o["active"]?.ownerSource == "user")
            for id in ["inactive", "unknown", "nobody"] {
                #expect(o[id]?.owner == "005000000000000999")
                #expect(o[id]?.ownerSource == "fallback")
            }
            #expect(summary.ownersBySource == ["user": 1, "fallback": 3])
        }
    }

    @Test(arguments: TestEngine.available)
    func missingOrInactiveFallbackOwnerStopsBeforeAnyRow(engine: TestEngine) throws {
        for owner in ["gone@example.com", "nobody@example.com"] {
            try withTestDatabase(engine) { t in
                var s = Scenario(t)
                s.config = "fallback_owner = \"\(owner)\"\n"
                s.capture("a", last: "Alpha", email: "a@x.example")
                let (db, _) = try s.load()
                let config = t.directory.appendingPathComponent("c.toml")
                try Data(s.config.utf8).write(to: config)
                let r = try CLI.run(["run", "--database", t.url, "--config", config.path])
                #expect(r.status == 1)
                #expect(r.errorLines.count == 1)
                #expect(r.stderr.contains(owner))
                #expect(try Scenario.outcomes(db)["a"]?.status == "pending")
                #expect(try db.runAdHoc("SELECT count(*) AS n FROM sync_run", name: "t").first?.int("n") == 0)
            }
        }
    }

    // §7 mapping as configuration
    @Test(arguments: TestEngine.available)
    func mappingAddsCustomFieldsAndValueMaps(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            let db = try t.migrated()
            try db.executeScript("ALTER TABLE lead ADD COLUMN linkedin_url__c text", name: "t")
            let csv = t.directory.appendingPathComponent("c.csv")
            try Data("external_id,source,last_name,company,custom_fields\nx1,trade_fair,Alpha,ACME,\"{\"\"linkedin_url\"\": \"\" https://li.example/a \"\"}\"\n".utf8).write(to: csv)
            try Data("sfid,email,name,isactive\n005000000000000999,admin@example.com,Admin,true\n".utf8).write(to: t.directory.appendingPathComponent("users.csv"))
            _ = try CRMLoader(db: db, crmSchema: "salesforce").load(directory: t.directory.path)
            _ = try CSVImporter(db: db).importFile(path: csv.path, now: Scenario.now.addingTimeInterval(-3600))
            let config = try Configuration.parse("""
                fallback_owner = "admin@example.com"
                [mapping.lead]
                linkedin_url__c = "custom_fields.linkedin_url"
                website = ""
                [value_maps.leadsource]
                trade_fair = "Trade Show"
                """, file: "t.toml")
            let options = Scenario.options()
            #expect(try SyncJob(db: db, config: config).run(options).exported == 1)
            let row = try #require(try db.runAdHoc("SELECT linkedin_url__c, leadsource FROM lead WHERE leadsync_id__c = 'x1'", name: "t").first)
            #expect(row.string("linkedin_url__c") == "https://li.example/a")
            #expect(row.string("leadsource") == "Trade Show")
        }
    }

    @Test(arguments: TestEngine.available)
    func wrongMappingColumnStopsTheJobWithTheAvailableOnes(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Scenario(t)
            s.config += "[mapping.lead]\nlinkedin_url__c = \"custom_fields.linkedin\"\n"
            s.capture("a", last: "Alpha", email: "a@x.example")
            let (db, _) = try s.load()
            let config = t.directory.appendingPathComponent("c.toml")
            try Data(s.config.utf8).write(to: config)
            let r = try CLI.run(["run", "--database", t.url, "--config", config.path])
            #expect(r.status == 1)
            #expect(r.errorLines.count == 1)
            #expect(r.stderr.contains("linkedin_url__c"))
            #expect(r.stderr.contains("leadsync_id__c"), "lists the columns that exist")
            #expect(try Scenario.outcomes(db)["a"]?.status == "pending")
        }
    }

    // §8 and commands
    @Test(arguments: TestEngine.available)
    func dryRunWritesNothing(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            let config = try Corpus.load(into: t)
            func fingerprint() throws -> [String] {
                try ["captured_contact", "lead", "contact", "account", "sync_run", "crm_match_key"].map { table in
                    let rows = try t.rawRows("SELECT * FROM \(table) ORDER BY 1")
                    return "\(table):\(rows.count):\(rows.map { $0.values.map { $0.textValue ?? "∅" }.joined(separator: "|") }.joined(separator: "\n").hashValue)"
                }
            }
            let before = try fingerprint()
            let r = try CLI.run(["run", "--dry-run", "--settle-minutes", "0", "--database", t.url, "--config", config])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("DRY RUN"))
            #expect(r.stdout.contains("1391 contacts exported, 607 failed"))
            #expect(try fingerprint() == before)
        }
    }

    @Test(arguments: TestEngine.available)
    func pushRetryAndNormalizePhoneCommands(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Scenario(t)
            s.capture("nocompany", last: "Alpha", company: "", email: "a@x.example")
            s.capture("fresh", last: "Beta", email: "b@x.example", minutesAgo: 0)
            let (db, _) = try s.load()
            let config = t.directory.appendingPathComponent("c.toml")
            try Data(s.config.utf8).write(to: config)
            let common = ["--database", t.url, "--config", config.path]
            #expect(try CLI.run(["run"] + common).status == 0)
            #expect(try Scenario.outcomes(db)["nocompany"]?.code == "missing_company")
            try db.executeScript("UPDATE captured_contact SET company = 'Fixed Co' WHERE external_id = 'nocompany'", name: "t")
            let retry = try CLI.run(["retry", "--error-code", "missing_company"] + common)
            #expect(retry.stdout.contains("1 failed contacts are pending again"))
            #expect(try Scenario.outcomes(db)["nocompany"]?.status == "pending")
            let callsPush = try CLI.run(["push", "nocompany", "--only", "calls", "--requested-by", "boss@example.com"] + common)
            #expect(callsPush.status != 0 && callsPush.stderr.contains("Unknown option '--only'"), "push exports captured contacts only")
            #expect(try Scenario.outcomes(db)["nocompany"]?.status == "pending", "a refused push touches nothing")
            let push = try CLI.run(["push", "nocompany", "fresh", "unknown-id", "--requested-by", "boss@example.com"] + common)
            #expect(push.status == 0, "\(push.stderr)")
            #expect(push.stdout.contains("unknown-id"))
            let o = try Scenario.outcomes(db)
            #expect(o["nocompany"]?.status == "exported")
            #expect(o["fresh"]?.status == "exported", "push ignores the settle window")
            let phones = try CLI.run(["normalize-phone", "--region", "DE"], stdin: "030 1234567\n+49 (0)30 1234567 ext. 12\nnope\n")
            #expect(phones.stdout == "+49301234567\t\n+49301234567\t12\n\t\n")
        }
    }
}
