import Foundation
import Synchronization
import Testing
@testable import LeadSync

/// One named test per rule of CALL_RULES.md §1–8, §10 (the activity profile), each on SQLite and
/// PostgreSQL. Heroku Connect is played by scripts/heroku-connect-sim.sh where a rule needs sfids.
@Suite struct CallRuleTests {
    static let agent = "005000000000000001", admin = "005000000000000999"

    // §1
    @Test(arguments: TestEngine.available)
    func onlyCallsThatHaveEndedAndSettledAreTaken(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = CallScenario(t)
            s.contact("003000000000000001", phone: "+49 30 1234567")
            s.call("ended", at: "2026-03-16T11:40:00Z", duration: 600, wait: 60)        // ended 11:51
            s.call("still-settling", at: "2026-03-16T11:52:00Z", duration: 300, wait: 0) // ended 11:57
            let (db, config) = try s.load()
            let summary = try CallScenario.run(db, config, settle: 5)
            let e = try CallScenario.events(t)
            #expect(e["ended"]?.status == "logged")
            #expect(e["still-settling"]?.status == "pending")
            #expect(summary.calls?.read == 1)
        }
    }

    // §2
    @Test(arguments: TestEngine.available)
    func invalidEventsFailFirstThenTooLongFields(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = CallScenario(t)
            s.calls += "[calls.log]\nvoicemail = \"skip\"\n"
            s.call("direction", "transfer")
            s.call("negative", duration: -5)
            s.call("sms-outcome", "outbound", "delivered", channel: "sms", duration: 0, wait: 0)
            s.call("outbound-missed", "outbound", "missed")
            s.call("fax", channel: "fax")
            s.call("too-long", "inbound", "voicemail", comments: String(repeating: "Notiz 📞 ", count: 5_000))
            let (_, e, _) = try s.run()
            for id in ["direction", "negative", "sms-outcome", "outbound-missed", "fax"] {
                #expect(e[id]?.status == "failed", "\(id)")
                #expect(e[id]?.code == "invalid_call", "\(id)")
            }
            #expect(e["direction"]?.message == "The direction \"transfer\" is neither inbound nor outbound.")
            #expect(e["too-long"]?.code == "field_too_long", "a too-long comment fails even an event that would be skipped")
        }
    }

    // §3
    @Test(arguments: TestEngine.available)
    func typesAreLoggedInTheirModesAndSkippedWhenConfigured(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = CallScenario(t)
            s.contact("003000000000000001", phone: "+49 30 1234567")
            s.calls += "outside_business_hours = \"skip\"\n[calls.log]\noutbound_unanswered = \"skip\"\n"
            s.call("missed", "inbound", "missed", at: "2026-03-16T10:00:00Z", duration: 0)
            s.call("answered", at: "2026-03-16T10:05:00Z")
            s.call("not-logged", "outbound", "unanswered", at: "2026-03-16T10:10:00Z", duration: 0)
            s.call("saturday", at: "2026-03-14T10:00:00Z")
            s.call("late-sms", "inbound", "", channel: "sms", at: "2026-03-15T21:30:00Z", duration: 0, wait: 0)
            s.call("before-nine", at: "2026-03-16T07:59:00Z")  // 08:59 in Berlin
            s.call("at-nine", at: "2026-03-16T08:00:00Z")      // 09:00 in Berlin: start inclusive
            let (_, e, _) = try s.run()
            #expect(e["missed"]?.tasks.first?["status"] == "In Progress")
            #expect(e["missed"]?.tasks.first?["subject"] == "Inbound call - missed")
            #expect(e["answered"]?.tasks.first?["status"] == "Completed")
            #expect(e["not-logged"]?.code == "not_logged")
            #expect(e["not-logged"]?.status == "skipped")
            #expect(e["saturday"]?.code == "outside_business_hours")
            #expect(e["late-sms"]?.status == "logged", "an SMS is logged at any hour")
            #expect(e["before-nine"]?.code == "outside_business_hours")
            #expect(e["at-nine"]?.status == "logged")
        }
    }

    @Test(arguments: TestEngine.available)
    func businessHoursAndDatesFollowTheZonesDaylightSavingRules(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = CallScenario(t)
            s.contact("003000000000000001", phone: "+49 30 1234567")
            s.calls += "outside_business_hours = \"skip\"\nholidays = [\"2026-10-26\"]\n"
            // Monday 30 March 2026, the day after Berlin moved to summer time: 07:30 UTC is 09:30
            // CEST (in hours); a fixed +01:00 would make it 08:30 (out).
            s.call("summer-morning", at: "2026-03-30T07:30:00Z")
            // Friday 27 March, still winter time: 07:30 UTC is 08:30 CET (out).
            s.call("winter-morning", at: "2026-03-27T07:30:00Z")
            // Saturday 24 October 22:30 UTC is Sunday 00:30 CEST: the task's date is the 25th.
            s.call("midnight-sms", "inbound", "", channel: "sms", at: "2026-10-24T22:30:00Z", duration: 0, wait: 0)
            // Monday 26 October, a holiday in the configuration.
            s.call("holiday", at: "2026-10-26T10:00:00Z")
            let (_, e, _) = try s.run(minutesLater: 60 * 24 * 300)
            #expect(e["summer-morning"]?.status == "logged")
            #expect(e["winter-morning"]?.code == "outside_business_hours")
            #expect(e["midnight-sms"]?.tasks.first?["activitydate"].map { String($0.prefix(10)) } == "2026-10-25")
            #expect(e["holiday"]?.code == "outside_business_hours")

            try withTestDatabase(engine) { t2 in
                var ny = CallScenario(t2)
                ny.contact("003000000000000001", phone: "+49 30 1234567")
                ny.calls += "time_zone = \"America/New_York\"\noutside_business_hours = \"skip\"\n"
                // 2 November 2026 04:30 UTC: 23:30 on 1 November in New York (EST since that night).
                ny.call("late", "inbound", "missed", at: "2026-11-02T04:30:00Z", duration: 0)
                // Monday 9 March 2026 13:30 UTC: 09:30 EDT (summer time since the 8th), in hours.
                ny.call("edt", at: "2026-03-09T13:30:00Z")
                let (_, e2, _) = try ny.run(minutesLater: 60 * 24 * 300)
                #expect(e2["late"]?.code == "outside_business_hours")
                #expect(e2["edt"]?.tasks.first?["activitydate"].map { String($0.prefix(10)) } == "2026-03-09")
                #expect(e2["edt"]?.status == "logged")
            }
        }
    }

    // §4
    @Test(arguments: TestEngine.available)
    func numbersMatchContactThenLeadThenAccountThenPersonAccount(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = CallScenario(t)
            s.contact("003000000000000OLD", phone: "+49 30 1111111", stamp: "2025-01-01T00:00:00Z")
            s.contact("003000000000000NEW", mobile: "030 1111111", stamp: "2026-01-01T00:00:00Z")
            s.lead("00Q00000000000LEAD", phone: "+49 30 1111111")
            s.lead("00Q0000000000CONVD", phone: "+49 30 2222222", converted: true)
            s.lead("00Q00000000000LIVE", phone: "+49 30 2222222", stamp: "2020-01-01T00:00:00Z")
            s.account("001000000000PERSON", phone: "+49 30 3333333", person: true)
            s.account("001000000000000BIZ", phone: "+49 30 3333333")
            s.contact("003000000000000DEL", phone: "+49 30 4444444", deleted: true)
            s.call("contact", number: "+49 30 1111111")
            s.call("lead", number: "+49 (0)30 2222222")
            s.call("account", number: "0049 30 3333333")
            s.call("deleted-only", number: "+49 30 4444444")
            let (_, e, _) = try s.run()
            func who(_ id: String) -> String? { e[id]?.tasks.first?["whoid"] }
            func what(_ id: String) -> String? { e[id]?.tasks.first?["whatid"] }
            #expect(who("contact") == "003000000000000NEW", "the most recent contact")
            #expect(who("lead") == "00Q00000000000LIVE", "a converted lead never matches")
            #expect(e["account"]?.object == "account")
            #expect(what("account") == "001000000000000BIZ", "a business account before a person account")
            #expect(who("account") == "")
            #expect(e["deleted-only"]?.code == "unknown_number")
        }
    }

    // §4: no key
    @Test(arguments: TestEngine.available)
    func anEmptyAnonymousOrImpossibleNumberIsSkipped(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = CallScenario(t)
            s.call("empty", number: "")
            s.call("anonymous", number: "anonymous")
            s.call("sixty-digits", number: String(repeating: "1234567890", count: 6))
            let (_, e, _) = try s.run()
            for id in ["empty", "anonymous", "sixty-digits"] { #expect(e[id]?.code == "no_number", "\(id)") }
        }
    }

    // §5
    @Test(arguments: TestEngine.available)
    func theAgentOwnsTheTaskWhenAnActiveUserElseTheFallbackOwner(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = CallScenario(t)
            s.contact("003000000000000001", phone: "+49 30 1234567")
            s.call("active", agent: " Agent@Example.com ")
            s.call("inactive", agent: "gone@example.com")
            s.call("stranger", agent: "")
            let (_, e, _) = try s.run()
            #expect(e["active"]?.tasks.first?["ownerid"] == Self.agent)
            #expect(e["active"]?.ownerSource == "user")
            #expect(e["inactive"]?.tasks.first?["ownerid"] == Self.admin)
            #expect(e["inactive"]?.ownerSource == "fallback")
            #expect(e["stranger"]?.ownerSource == "fallback")
        }
    }

    /// Two calls from a number no CRM record has, which creates a lead: the second, half an hour
    /// later and typed another way, must find the lead the first created.
    static func twoCallsFromOneNewNumber(_ t: TestDatabase) -> CallScenario {
        var s = CallScenario(t)
        s.calls += "unknown_number = \"lead\"\n"
        s.call("first", at: "2026-03-16T10:00:00Z", number: "+49 30 7654321")
        s.call("second", "outbound", "unanswered", at: "2026-03-16T10:30:00Z", duration: 0, number: "030 7654321")
        return s
    }

    // `--limit N` counts each stream's rows: a run with both streams and a limit of one takes one
    // captured contact and one call event, and leaves the second of each pending.
    @Test(arguments: TestEngine.available)
    func theLimitCountsTheRowsOfEachStream(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            let (db, config) = try Self.twoCallsFromOneNewNumber(t).load()
            let file = t.directory.appendingPathComponent("captured.csv")
            try Data("""
                external_id,source,captured_at,captured_by,last_name,company,email
                c1,webform,2026-03-16T09:00:00Z,agent@example.com,Eins,ACME,eins@example.org
                c2,webform,2026-03-16T09:05:00Z,agent@example.com,Zwei,ACME,zwei@example.org

                """.utf8).write(to: file)
            _ = try CSVImporter(db: db).importFile(path: file.path, now: CallScenario.now)
            var options = SyncOptions(mode: .run)
            options.clock = { CallScenario.now }
            options.settleMinutes = 0
            options.limit = 1
            let summary = try SyncJob(db: db, config: config).run(options)
            #expect(summary.read == 1)
            #expect(try t.scalar("SELECT status FROM captured_contact WHERE external_id = 'c1'") == "exported")
            #expect(try t.scalar("SELECT status FROM captured_contact WHERE external_id = 'c2'") == "pending")
            let e = try CallScenario.events(t)
            #expect(e["first"]?.status == "waiting", "the first call was processed: its new lead awaits its sfid")
            #expect(e["second"]?.status == "pending")
        }
    }

    // §6 across batches: the second call's batch is claimed and matched ahead while the first
    // call's batch creates the lead (held until that match is done); the lead's keys are the only
    // change to the key index since, so the second batch catches up on them in memory and finds it.
    @Test(arguments: TestEngine.available)
    func aCallMatchedAheadOfTheBatchThatCreatesItsRecordFindsTheRecord(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            let (db, config) = try Self.twoCallsFromOneNewNumber(t).load()
            let matchedAhead = DispatchSemaphore(value: 0)
            _ = try CallScenario.run(db, config) { options in
                options.batchSize = 1
                options.hooks.claimedAhead = { _, _ in matchedAhead.signal() }
                options.hooks.beforeCommit = { batch in if batch == 0 { matchedAhead.wait() } }
            }
            let e = try CallScenario.events(t)
            #expect(e["second"]?.recordID != nil)
            #expect(e["first"]?.recordID == e["second"]?.recordID, "the second call finds the lead the first call created")
            #expect(try t.scalar("SELECT count(*) FROM lead") == "1")
        }
    }

    // §4 and §6 across batches: while the first call's batch creates its lead, the second call's
    // batch is matched ahead, and another writer keys a lead with the second call's number once
    // the first batch has committed. The first batch's lead is then not the only change to the key
    // index: the second batch is matched again under the batch lock and finds the other lead.
    @Test(arguments: TestEngine.available)
    func aRecordKeyedByAnotherWriterWhileTheBatchBeforeIsWrittenIsFound(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = CallScenario(t)
            s.calls += "unknown_number = \"lead\"\n"
            s.call("first", at: "2026-03-16T10:00:00Z", number: "+49 30 7654321")
            s.call("second", "outbound", "unanswered", at: "2026-03-16T10:30:00Z", duration: 0, number: "+49 40 5551234")
            let (db, config) = try s.load()
            let f = engine == .postgres ? "false" : "0"
            let otherWriter = try CallScenario.runWithAnotherWriter(db, config) {
                let other = try t.open()
                try other.transaction {
                    try other.executeScript("""
                        INSERT INTO lead (sfid, lastname, company, phone, isconverted, isdeleted, systemmodstamp)
                        VALUES ('00Q0000000000OTHER', 'Other', 'Firm', '040 5551234', \(f), \(f), '2026-03-01T00:00:00')
                        """, name: "test")
                    _ = try CRMKeyIndex(db: other, phones: try PhoneNormalizer(defaultRegion: "DE")).refresh()
                }
            }
            #expect(otherWriter == ["done"], "the other writer keyed its lead")
            let e = try CallScenario.events(t)
            let otherLead = try t.scalar("SELECT id FROM lead WHERE sfid = '00Q0000000000OTHER'")
            #expect(e["second"]?.recordID.map(String.init) == otherLead, "the second call finds the lead the other writer keyed")
            #expect(try t.scalar("SELECT count(*) FROM lead") == "2", "the first call's lead and the other writer's")
        }
    }

    // §6 and §8
    @Test(arguments: TestEngine.available)
    func anUnknownNumberCreatesOneRecordAndItsCallsWaitForItsSfid(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Self.twoCallsFromOneNewNumber(t)
            s.calls += "unknown_company = \"Unbekannt\"\n"
            let (db, config) = try s.load()
            _ = try CallScenario.run(db, config)
            var e = try CallScenario.events(t)
            #expect(e["first"]?.status == "waiting")
            #expect(e["second"]?.status == "waiting")
            #expect(e["first"]?.recordID == e["second"]?.recordID, "the second call finds the first call's record")
            let lead = try #require(try t.rawRows("SELECT lastname, phone, company, leadsource, ownerid, leadsync_id__c FROM lead").first)
            #expect(lead.string("lastname") == "+49307654321")
            #expect(lead.string("company") == "Unbekannt")
            #expect(lead.string("leadsource") == "Phone")
            #expect(lead.string("ownerid") == Self.agent)
            #expect(lead.string("leadsync_id__c") == "call:first")
            _ = try CallScenario.run(db, config, minutesLater: 5)
            #expect(try t.scalar("SELECT count(*) FROM lead") == "1", "a waiting event never creates twice")
            try HerokuConnectSim.sync(t)
            _ = try CallScenario.run(db, config, minutesLater: 10)
            e = try CallScenario.events(t)
            #expect(e["first"]?.status == "logged")
            #expect(e["second"]?.status == "logged")
            #expect(e["first"]?.tasks.first?["whoid"]?.hasPrefix("00QSIM") == true)
        }
    }

    @Test(arguments: TestEngine.available)
    func anUnknownNumberCreatesNothingByDefaultOrAContactOrAnAccount(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = CallScenario(t)
            s.call("nothing")
            let (_, e, _) = try s.run()
            #expect(e["nothing"]?.code == "unknown_number")
            #expect(e["nothing"]?.status == "skipped")
        }
        for object in ["contact", "account"] {
            try withTestDatabase(engine) { t in
                var s = CallScenario(t)
                s.calls += "unknown_number = \"\(object)\"\n"
                s.call("new")
                _ = try s.run()
                let row = try #require(try t.rawRows("SELECT * FROM \(object) WHERE leadsync_id__c = 'call:new'").first)
                #expect(row.string("phone") == "+49301234567")
                #expect(row.string(object == "contact" ? "lastname" : "name") == "+49301234567")
                #expect(row.string("leadsource") == (object == "contact" ? "Phone" : nil))
            }
        }
    }

    // §7
    @Test(arguments: TestEngine.available)
    func theTaskCarriesTheCallAsSection7Says(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = CallScenario(t)
            s.contact("003000000000000001", phone: "+49 30 1234567")
            s.call("full", duration: 125, wait: 12, agent: " Agent@Example.com ", comments: "  Wants an offer  ", tags: "vip, , callback ")
            s.call("sms", "outbound", "", channel: "sms", duration: 0, wait: 0, agent: "")
            let (_, e, _) = try s.run()
            let task = try #require(e["full"]?.tasks.first)
            #expect(task["leadsync_id__c"] == "call:full:1")
            #expect(task["subject"] == "Inbound call - answered")
            #expect(task["tasksubtype"] == "Call")
            #expect(task["calltype"] == "Inbound")
            #expect(task["calldurationinseconds"] == "125")
            #expect(task["calldisposition"] == "answered")
            #expect(task["priority"] == "Normal")
            #expect(task["description"] == "Direction: Inbound\nDuration: 125 s\nWaiting time: 12 s\nComments: Wants an offer\nTags: vip, callback\nAgent: Agent@Example.com\nNumber: +49301234567")
            let sms = try #require(e["sms"]?.tasks.first)
            #expect(sms["subject"] == "Outbound SMS")
            #expect(sms["tasksubtype"] == "Task")
            #expect(sms["calltype"] == "Outbound")
            #expect(sms["calldurationinseconds"] == "0")
            #expect(sms["calldisposition"] == "")
            #expect(sms["description"] == "Direction: Outbound\nNumber: +49301234567")
        }
    }

    @Test(arguments: TestEngine.available)
    func aContactsTaskIsAttachedToItsMostRecentOpenOpportunityOrCase(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = CallScenario(t)
            s.calls += "attach_to = \"opportunity\"\n"
            s.contact("003000000000000001", phone: "+49 30 1234567")
            s.opportunity("006000000000000OLD", contact: "003000000000000001", stamp: "2025-01-01T00:00:00Z")
            s.opportunity("006000000000000NEW", contact: "003000000000000001", stamp: "2026-01-01T00:00:00Z")
            s.opportunity("00600000000CLOSED", contact: "003000000000000001", closed: true, stamp: "2026-02-01T00:00:00Z")
            s.lead("00Q000000000000001", phone: "+49 30 7777777")
            s.call("contact")
            s.call("lead", number: "+49 30 7777777")
            let (_, e, _) = try s.run()
            #expect(e["contact"]?.tasks.first?["whatid"] == "006000000000000NEW")
            #expect(e["lead"]?.tasks.first?["whatid"] == "", "never for a lead")
        }
        try withTestDatabase(engine) { t in
            var s = CallScenario(t)
            s.calls += "attach_to = \"case\"\ncreate_case = true\n"
            s.contact("003000000000000001", phone: "+49 30 1234567", account: "001000000000000001")
            s.contact("003000000000000002", phone: "+49 30 2222222")
            s.openCase("500000000000000001", contact: "003000000000000002")
            s.call("new-case", at: "2026-03-16T10:00:00Z")
            s.call("same-contact", "outbound", "answered", at: "2026-03-16T10:30:00Z")
            s.call("existing-case", number: "+49 30 2222222")
            let (db, config) = try s.load()
            _ = try CallScenario.run(db, config)
            var e = try CallScenario.events(t)
            #expect(e["existing-case"]?.tasks.first?["whatid"] == "500000000000000001")
            #expect(e["new-case"]?.status == "waiting", "the case it created has no sfid yet")
            #expect(e["same-contact"]?.status == "waiting")
            let created = try #require(try t.rawRows("SELECT contactid, accountid, subject, status, origin, ownerid, leadsync_id__c FROM \"case\" WHERE leadsync_id__c IS NOT NULL").first)
            #expect(try t.scalar("SELECT count(*) FROM \"case\" WHERE leadsync_id__c IS NOT NULL") == "1", "one case for both calls")
            #expect(created.string("contactid") == "003000000000000001")
            #expect(created.string("accountid") == "001000000000000001")
            #expect(created.string("status") == "New")
            #expect(created.string("origin") == "Phone")
            #expect(created.string("leadsync_id__c") == "call:new-case")
            try HerokuConnectSim.sync(t)
            _ = try CallScenario.run(db, config, minutesLater: 5)
            e = try CallScenario.events(t)
            #expect(e["new-case"]?.tasks.first?["whatid"]?.hasPrefix("500SIM") == true)
            #expect(e["same-contact"]?.tasks.first?["whatid"] == e["new-case"]?.tasks.first?["whatid"])
        }
    }

    // §8
    @Test(arguments: TestEngine.available)
    func aRejectedRecordFailsItsEventsAndOneNeverSyncedEndsThemAfterMaxWait(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = CallScenario(t)
            s.calls += "unknown_number = \"lead\"\n"
            s.config += "max_wait_minutes = 60\n"
            s.call("refused", number: "+49 30 5555555")
            s.call("stalled", number: "+49 30 6666666")
            let (db, config) = try s.load()
            _ = try CallScenario.run(db, config)
            try HerokuConnectSim.sync(t, [.init(id: "call:refused", action: "fail", hcError: #"{"message":"Required fields are missing: [Industry]"}"#),
                                          .init(id: "call:stalled", action: "stall")])
            _ = try CallScenario.run(db, config, minutesLater: 30)
            var e = try CallScenario.events(t)
            #expect(e["refused"]?.code == "crm_rejected")
            #expect(e["refused"]?.message == "Salesforce rejected the record: Required fields are missing: [Industry]")
            #expect(e["stalled"]?.status == "waiting", "30 minutes: still within max_wait_minutes")
            _ = try CallScenario.run(db, config, minutesLater: 65)
            e = try CallScenario.events(t)
            #expect(e["stalled"]?.code == "crm_not_synced", "waited longer than max_wait_minutes since it first waited")
            #expect(e["stalled"]?.status == "failed")
        }
    }

    // §10
    @Test(arguments: TestEngine.available)
    func retryCallsPutsFailedEventsBackAndWithACodeSkippedOnes(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = CallScenario(t)
            s.call("invalid", "sideways")
            s.call("unknown")
            _ = try s.run()
            let config = t.directory.appendingPathComponent("c.toml")
            try Data((s.config + s.calls).utf8).write(to: config)
            let plain = try CLI.run(["retry", "--calls", "--database", t.url, "--config", config.path])
            #expect(plain.stdout.contains("1 call events are pending again"))
            #expect(try t.scalar("SELECT status FROM call_event WHERE external_id = 'unknown'") == "skipped")
            let coded = try CLI.run(["retry", "--calls", "--error-code", "unknown_number", "--database", t.url, "--config", config.path])
            #expect(coded.stdout.contains("1 call events are pending again"))
            #expect(try t.scalar("SELECT count(*) FROM call_event WHERE status = 'pending'") == "2")
            let status = try CLI.run(["status", "--database", t.url])
            #expect(status.stdout.contains("call events"))
        }
    }
}
