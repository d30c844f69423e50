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

/// The CRM keys follow the mirror between runs: new rows, changed rows, deleted rows.
@Suite struct CRMKeyRefreshTests {
    /// Two leads, keyed by a first run: Alpha with an email and a phone, Beta with an email.
    static func twoKeyedLeads(_ t: TestDatabase) throws -> (Scenario, any Database, Configuration) {
        var s = Scenario(t)
        s.lead("00Q000000000000001", last: "Alpha", email: "alpha@x.example", phone: "+49 30 1234567")
        s.lead("00Q000000000000002", last: "Beta", email: "beta@x.example")
        let (db, config) = try s.load()
        #expect(try SyncJob(db: db, config: config).run(Scenario.options()).crmRecordsKeyed == 2)
        return (s, db, config)
    }

    /// After twoKeyedLeads' keys were lost: the next run keys the whole mirror again, and catches
    /// a duplicate of Alpha's email and one of its phone.
    static func expectTheWholeMirrorKeyedAgain(_ s: Scenario, _ t: TestDatabase, config: Configuration) throws {
        let db = try t.open()
        try s.importLater("""
            external_id,last_name,company,email,phone,captured_at
            same-email,Other,ACME,alpha@x.example,,2026-11-20T11:00:00Z
            same-phone,Alpha,ACME,,030 1234567,2026-11-20T11:00:00Z
            new,Gamma,ACME,gamma@x.example,,2026-11-20T11:00:00Z

            """, into: db)
        let summary = try SyncJob(db: db, config: config).run(Scenario.options())
        #expect(summary.crmRecordsKeyed == 2, "the whole mirror is keyed again")
        let o = try Scenario.outcomes(db)
        #expect(o["same-email"]?.code == "duplicate_email" && o["same-email"]?.matched == "00Q000000000000001")
        #expect(o["same-phone"]?.code == "duplicate_phone" && o["same-phone"]?.matched == "00Q000000000000001")
        #expect(o["new"]?.status == "exported")
    }

    /// crm_match_key is UNLOGGED on PostgreSQL: a crash empties it. The next run must key the
    /// whole mirror again (not only rows changed since the watermark), or duplicates of records
    /// keyed before the crash would slip through.
    @Test(arguments: TestEngine.available)
    func emptiedKeysAreRebuiltFromTheWholeMirror(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            let (s, db, config) = try Self.twoKeyedLeads(t)
            if engine == .postgres {
                #expect(try t.scalar("SELECT relpersistence FROM pg_class WHERE oid = CAST('crm_match_key' AS regclass)") == "u")
            }
            #expect(try SyncJob(db: db, config: config).run(Scenario.options()).crmRecordsKeyed == 0, "a warm run reads nothing")
            // What PostgreSQL does to an unlogged table after a crash.
            try db.executeScript(engine == .postgres ? "TRUNCATE crm_match_key" : "DELETE FROM crm_match_key", name: "t")
            try Self.expectTheWholeMirrorKeyedAgain(s, t, config: config)
        }
    }

    /// A full load reads the mirror's pages on a second connection, a page ahead, while the
    /// first writes (`CRMKeyIndex.reader`). With pages of two records, across the three objects,
    /// deleted and keyless records among them, it must key exactly what one connection keys,
    /// and set the same watermarks.
    @Test(arguments: TestEngine.available)
    func aFullLoadReadOnASecondConnectionKeysWhatOneConnectionKeys(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Scenario(t)
            for n in 1...7 {
                s.lead("00Q00000000000000\(n)", last: "Lead\(n)", email: n % 3 == 0 ? "" : "lead\(n)@x.example",
                       phone: n % 2 == 0 ? "030 123450\(n)" : "", deleted: n == 5, stamp: "2026-01-0\(n)T00:00:00Z")
            }
            for n in 1...4 {
                s.contact("00300000000000000\(n)", last: "Contact\(n)", email: "contact\(n)@x.example", mobile: "+49 171 555000\(n)",
                          stamp: "2026-01-01T00:00:00Z")
            }
            s.personAccount("001000000000000001", last: "Person", email: "person@x.example", phone: "+49 89 1234567")
            let (db, _) = try s.load()
            let reader = try t.open()
            func fullLoad(reader: (any Database)?) throws -> [String] {
                try db.executeScript(engine == .postgres ? "TRUNCATE crm_match_key" : "DELETE FROM crm_match_key", name: "empty")
                var index = CRMKeyIndex(db: db, phones: try PhoneNormalizer(defaultRegion: "DE"), pageSize: 2)
                index.reader = reader
                let stats = try db.transaction { try index.refresh() }
                #expect(stats.recordsRead == 12)
                let keys = try db.runAdHoc("""
                    SELECT crm_object, crm_id, sfid, email_key, phone_key, phone2_key, lastname_key, priority FROM crm_match_key
                    WHERE crm_object <> 'leadsync' ORDER BY crm_object, crm_id
                    """, name: "keys")
                let marks = try db.runAdHoc("SELECT crm_object, systemmodstamp, last_id FROM crm_key_watermark ORDER BY crm_object", name: "marks")
                return (keys + marks).map { $0.values.map { $0.textValue ?? "NULL" }.joined(separator: "|") }
            }
            let alone = try fullLoad(reader: nil)
            #expect(alone.count == 10 + 3, "five live leads with a key, four contacts, the person account; three watermarks")
            #expect(try fullLoad(reader: reader) == alone)
        }
    }

    /// A CRM whose records carry no email and no phone leaves crm_match_key without a key; it is
    /// still read only once (the table is marked loaded), not again on every run.
    @Test(arguments: TestEngine.available)
    func aCRMWithoutContactDataIsReadOnce(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Scenario(t)
            s.lead("00Q000000000000001", last: "Alpha")
            s.lead("00Q000000000000002", last: "Beta")
            let (db, config) = try s.load()
            let options = Scenario.options()
            #expect(try SyncJob(db: db, config: config).run(options).crmRecordsKeyed == 2)
            #expect(try t.scalar("SELECT count(*) FROM crm_match_key WHERE crm_object <> 'leadsync'") == "0")
            #expect(try SyncJob(db: db, config: config).run(options).crmRecordsKeyed == 0, "the mirror is not read again")
            #expect(try t.scalar("SELECT count(*) FROM crm_match_key WHERE crm_object = 'leadsync'") == "1")
        }
    }

    /// Migration 009 makes crm_match_key one row per record, where it was one row per key. An
    /// install keyed before it (rows per key, marked loaded) is emptied by the upgrade, and its
    /// next run keys the whole mirror again: duplicates of the records keyed before are caught.
    @Test(arguments: TestEngine.available)
    func anUpgradeToOneRowPerRecordKeysTheWholeMirrorAgain(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            let (s, _, config) = try Self.twoKeyedLeads(t)
            // crm_match_key as migration 008 left it: one row per key, and the loaded mark.
            try MigrationTests.revertMigration009(t)
            try t.exec("""
                INSERT INTO crm_match_key (crm_object, crm_id, kind, key, lastname_key, priority) VALUES
                    ('leadsync', 0, '-', '', '', 0), ('lead', 1, 'e', 'alpha@x.example', 'alpha', 2),
                    ('lead', 1, 'p', '+49301234567', 'alpha', 2), ('lead', 2, 'e', 'beta@x.example', 'beta', 2);
                """)
            let migrate = try CLI.run(["migrate", "--database", t.url])
            #expect(migrate.status == 0, "\(migrate.stderr)")
            #expect(try t.scalar("SELECT count(*) FROM crm_match_key") == "0", "the keys are derived data: emptied")
            try Self.expectTheWholeMirrorKeyedAgain(s, t, config: config)
        }
    }

    /// Keys the refresh re-reads from the mirror are stamped on the batch clock, so a batch of
    /// another process matched before this refresh committed catches up on them (a record its
    /// batch wrote loses that batch's stamp when it is re-keyed); the first full load is not.
    @Test(arguments: TestEngine.available)
    func refreshedKeysAreStampedForTheCatchUp(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Scenario(t)
            s.lead("00Q000000000000001", last: "Alpha", email: "old@x.example")
            s.lead("00Q000000000000002", last: "Beta", email: "kept@x.example")
            let (db, config) = try s.load()
            let options = Scenario.options()
            _ = try SyncJob(db: db, config: config).run(options)
            func stamps() throws -> [String: Int?] {
                var out: [String: Int?] = [:]
                for row in try db.runAdHoc("SELECT email_key AS key, batch_seq FROM crm_match_key WHERE email_key IS NOT NULL", name: "t") {
                    out[row.string("key") ?? ""] = row.int("batch_seq")
                }
                return out
            }
            #expect(try stamps() == ["old@x.example": nil, "kept@x.example": nil], "the full load is not stamped")
            let before = try #require(try db.runAdHoc("SELECT seq FROM batch_clock", name: "t").first?.int("seq"))
            try db.executeScript("UPDATE lead SET email = 'new@x.example', systemmodstamp = '2026-11-01T00:00:00' WHERE sfid = '00Q000000000000001'",
                                 name: "t")
            _ = try SyncJob(db: db, config: config).run(options)
            let after = try stamps()
            #expect(after.count == 2)
            #expect(after["kept@x.example"] == .some(nil), "an unchanged record keeps its keys")
            let stamp = after["new@x.example"].flatMap { $0 }
            #expect(stamp.map { $0 > before } == true, "the re-keyed record is stamped above the clock it found (\(String(describing: stamp)))")
        }
    }

    @Test(arguments: TestEngine.available)
    func keysFollowNewChangedAndDeletedMirrorRows(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Scenario(t)
            s.lead("00Q000000000000001", last: "Alpha", email: "old@x.example")
            s.lead("00Q000000000000002", last: "Beta", email: "gone@x.example")
            s.lead("00Q000000000000003", last: "Gamma", email: "flagged@x.example")
            let (db, config) = try s.load()
            // The first refresh drops crm_match_key's indexes and builds them after loading: they
            // must come back exactly as the migration made them.
            let indexes = engine == .postgres
                ? "SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE tablename = 'crm_match_key' ORDER BY 1"
                : "SELECT name, sql AS def FROM sqlite_master WHERE type = 'index' AND tbl_name = 'crm_match_key' ORDER BY 1"
            let migrated = try db.runAdHoc(indexes, name: "t").map { "\($0.string("name") ?? ""): \($0.string("def") ?? "")" }
            // Three key indexes, the record index, and the batch_seq index (SQLite's: of the
            // pending keys, migration 012); on SQLite three more, the recent level's (migration 013).
            #expect(migrated.count == (engine == .sqlite ? 8 : 5))
            let options = Scenario.options()
            _ = try SyncJob(db: db, config: config).run(options)
            #expect(try db.runAdHoc("SELECT count(*) AS n FROM crm_match_key WHERE email_key IS NOT NULL", name: "t").first?.int("n") == 3)
            #expect(try db.runAdHoc(indexes, name: "t").map { "\($0.string("name") ?? ""): \($0.string("def") ?? "")" } == migrated)

            let f = engine == .postgres ? "false" : "0"
            let tr = engine == .postgres ? "true" : "1"
            try db.executeScript("""
                UPDATE lead SET email = 'new@x.example', systemmodstamp = '2026-11-01T00:00:00' WHERE sfid = '00Q000000000000001';
                DELETE FROM lead WHERE sfid = '00Q000000000000002';
                UPDATE lead SET isdeleted = \(tr), systemmodstamp = '2026-11-01T00:00:00' WHERE sfid = '00Q000000000000003';
                INSERT INTO lead (sfid, lastname, company, email, isdeleted, systemmodstamp)
                VALUES ('00Q000000000000004', 'Delta', 'D', 'fresh@x.example', \(f), '2026-11-02T00:00:00');
                """, name: "t")
            try s.importLater("""
                external_id,last_name,company,email,captured_at
                old,Alpha,ACME,old@x.example,2026-11-20T11:00:00Z
                new,Alpha,ACME,new@x.example,2026-11-20T11:00:00Z
                gone,Beta,ACME,gone@x.example,2026-11-20T11:00:00Z
                flagged,Gamma,ACME,flagged@x.example,2026-11-20T11:00:00Z
                fresh,Delta,ACME,fresh@x.example,2026-11-20T11:00:00Z

                """, into: db)
            let summary = try SyncJob(db: db, config: config).run(options)
            #expect(summary.crmRecordsKeyed == 3, "only the changed and new rows are read again")
            let o = try Scenario.outcomes(db)
            #expect(o["old"]?.status == "exported", "the record's email changed")
            #expect(o["new"]?.matched == "00Q000000000000001")
            #expect(o["gone"]?.status == "exported", "the record was deleted from the mirror")
            #expect(o["flagged"]?.status == "exported", "the record is flagged isdeleted")
            #expect(o["fresh"]?.matched == "00Q000000000000004")
        }
    }

    /// Each mirror table counts its own ids, so a lead and a contact can share one. Re-keying or
    /// deleting the lead must leave the contact's keys alone (crm_match_key's record index holds
    /// the id alone since migration 008; the object is filtered on the row).
    @Test(arguments: TestEngine.available)
    func aLeadAndAContactWithTheSameMirrorIDKeepTheirOwnKeys(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Scenario(t)
            s.lead("00Q000000000000001", last: "Alpha", email: "lead@x.example")
            s.contact("003000000000000001", last: "Alpha", email: "contact@x.example")
            let (db, config) = try s.load()
            #expect(try db.runAdHoc("SELECT count(*) AS n FROM lead l JOIN contact c ON c.id = l.id", name: "t").first?.int("n") == 1)
            let options = Scenario.options()
            _ = try SyncJob(db: db, config: config).run(options)

            func capture(_ lines: String) throws -> [String: Scenario.Outcome] {
                try s.importLater("external_id,last_name,company,email,captured_at\n\(lines)", into: db)
                _ = try SyncJob(db: db, config: config).run(options)
                return try Scenario.outcomes(db)
            }
            try db.executeScript("UPDATE lead SET email = 'changed@x.example', systemmodstamp = '2026-11-01T00:00:00' WHERE sfid = '00Q000000000000001'",
                                 name: "t")
            var o = try capture("""
                c1,Alpha,ACME,contact@x.example,2026-11-20T11:00:00Z
                l1,Alpha,ACME,lead@x.example,2026-11-20T11:00:00Z
                n1,Alpha,ACME,changed@x.example,2026-11-20T11:00:00Z

                """)
            #expect(o["c1"]?.matched == "003000000000000001", "the contact keeps its key when the lead is re-keyed")
            #expect(o["l1"]?.status == "exported", "the lead's old email is gone")
            #expect(o["n1"]?.matched == "00Q000000000000001")

            try db.executeScript("DELETE FROM lead WHERE sfid = '00Q000000000000001'", name: "t")
            o = try capture("""
                c2,Alpha,ACME,contact@x.example,2026-11-20T11:00:00Z
                n2,Alpha,ACME,changed@x.example,2026-11-20T11:00:00Z

                """)
            #expect(o["c2"]?.matched == "003000000000000001", "the contact keeps its key when the lead is deleted")
            #expect(o["n2"]?.status == "exported", "the deleted lead's key is gone")
        }
    }

    /// The run after an export does not key again the records the export wrote: their mirror
    /// rows are past the refresh's watermark, but crm_match_key holds their keys as written.
    /// Duplicates of them are still caught, and a record changed since (Heroku Connect gave it
    /// its Salesforce id) is keyed again.
    /// The refresh reads the mirror a page at a time and keys each page while it writes the page
    /// before and reads the next. With pages of two rows, a full load and a refresh of changed
    /// rows must still key every record once: the first page, those in between and the last.
    @Test(arguments: TestEngine.available)
    func aRefreshKeysEveryPageOfTheMirror(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Scenario(t)
            for i in 1...7 { s.lead("00Q00000000000000\(i)", last: "Lead\(i)", email: "lead\(i)@x.example", phone: "+49 30 100000\(i)") }
            for i in 1...3 { s.contact("00300000000000000\(i)", last: "Contact\(i)", email: "contact\(i)@x.example") }
            s.capture("first", last: "Other", email: "lead1@x.example")
            s.capture("last", last: "Lead7", phone: "030 1000007")
            s.capture("contact", last: "Other", email: "contact3@x.example")
            let (db, config) = try s.load()
            var options = Scenario.options()
            options.refreshPageSize = 2
            let first = try SyncJob(db: db, config: config).run(options)
            #expect(first.crmRecordsKeyed == 10)
            #expect(try t.scalar("SELECT count(*) FROM crm_match_key WHERE crm_object IN ('lead', 'contact')") == "10")
            var o = try Scenario.outcomes(db)
            #expect(o["first"]?.code == "duplicate_email" && o["first"]?.matched == "00Q000000000000001")
            #expect(o["last"]?.code == "duplicate_phone" && o["last"]?.matched == "00Q000000000000007")
            #expect(o["contact"]?.code == "duplicate_email" && o["contact"]?.matched == "003000000000000003")

            // Five leads change their email: each is keyed again, over three pages.
            try db.executeScript("""
                UPDATE lead SET email = replace(email, '@x', '@new'), systemmodstamp = '2026-11-01T00:00:00'
                WHERE sfid BETWEEN '00Q000000000000003' AND '00Q000000000000007';
                """, name: "t")
            try s.importLater("""
                external_id,last_name,company,email,captured_at
                old3,Other,ACME,lead3@x.example,2026-11-20T11:00:00Z
                new3,Other,ACME,lead3@new.example,2026-11-20T11:00:00Z
                new7,Other,ACME,lead7@new.example,2026-11-20T11:00:00Z

                """, into: db)
            let second = try SyncJob(db: db, config: config).run(options)
            #expect(second.crmRecordsKeyed == 5)
            #expect(try t.scalar("SELECT count(*) FROM crm_match_key WHERE email_key LIKE '%@new.example'") == "5")
            #expect(try t.scalar("SELECT count(*) FROM crm_match_key WHERE leadsync_id IS NULL AND email_key LIKE 'lead%@x.example'") == "2")
            o = try Scenario.outcomes(db)
            #expect(o["old3"]?.status == "exported", "the record's email changed")
            #expect(o["new3"]?.matched == "00Q000000000000003")
            #expect(o["new7"]?.matched == "00Q000000000000007")
        }
    }

    @Test(arguments: TestEngine.available)
    func recordsTheJobWroteAreNotKeyedAgain(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Scenario(t)
            s.lead("00Q000000000000001", last: "Alpha", email: "crm@x.example")
            s.capture("a", last: "Beta", email: "beta@x.example")
            s.capture("b", last: "Gamma", email: "gamma@x.example", phone: "+49 30 1234567")
            let (db, config) = try s.load()
            let options = Scenario.options()
            let first = try SyncJob(db: db, config: config).run(options)
            #expect(first.crmRecordsKeyed == 1 && first.exported == 2)
            let second = try SyncJob(db: db, config: config).run(options)
            #expect(second.crmRecordsKeyed == 0, "the records the first run wrote keep their keys")
            #expect(second.crmRecordsCurrent == 2)

            try db.executeScript("UPDATE lead SET sfid = '00Q0000000000000AA', systemmodstamp = '2026-11-21T00:00:00' WHERE leadsync_id__c = 'a'",
                                 name: "t")
            try s.importLater("""
                external_id,last_name,company,email,phone,captured_at
                c,Beta,ACME,beta@x.example,,2026-11-20T11:00:00Z
                d,Gamma,ACME,,030 1234567,2026-11-20T11:00:00Z

                """, into: db)
            let third = try SyncJob(db: db, config: config).run(options)
            #expect(third.crmRecordsKeyed == 1, "the record Heroku Connect changed is keyed again")
            #expect(try t.scalar("SELECT sfid FROM crm_match_key WHERE leadsync_id = 'a'") == "00Q0000000000000AA")
            let o = try Scenario.outcomes(db)
            #expect(o["c"]?.code == "duplicate_email" && o["c"]?.matched == "00Q0000000000000AA")
            #expect(o["d"]?.code == "duplicate_phone" && o["d"]?.matched == "b")
        }
    }
}
