import Foundation
import Testing
@testable import LeadSync

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
            // Three key indexes and the record index; on SQLite the batch_seq index of the pending
            // keys (migration 012) and three more, the recent level's (migration 013).
            #expect(migrated.count == (engine == .sqlite ? 8 : 4))
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
