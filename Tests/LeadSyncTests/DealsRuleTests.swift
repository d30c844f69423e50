import Foundation
import Testing
@testable import LeadSync

/// CALL_RULES.md §9, the deals profile: one named test per cell of its table, each on SQLite and
/// PostgreSQL. Users: agent@ (001), gone@ (002, inactive), boss@ (003, the top manager), other@
/// (004, who owns the CRM's contacts and opportunities unless a test says otherwise).
@Suite struct DealsRuleTests {
    static let agent = "005000000000000001", gone = "005000000000000002", boss = "005000000000000003", other = "005000000000000004"
    static let contact = "003000000000000001", deal = "006000000000000001"

    static func scenario(_ t: TestDatabase, extra: String = "") -> CallScenario {
        var s = CallScenario(t)
        s.calls += "profile = \"deals\"\ntop_manager = \"boss@example.com\"\n" + extra
        return s
    }

    /// An existing client with an open opportunity, both synced.
    static func existingClient(_ s: inout CallScenario, owner: String = other, dealOwner: String = other) {
        s.contact(contact, phone: "+49 30 1234567", owner: owner)
        s.opportunity(deal, contact: contact, owner: dealOwner)
    }

    /// Each task of `id` as (owner, status, subject), in order.
    static func tasks(_ e: [String: CallScenario.Event], _ id: String) -> [[String]] {
        (e[id]?.tasks ?? []).map { [$0["ownerid"] ?? "", $0["status"] ?? "", $0["subject"] ?? ""] }
    }

    // New clients
    @Test(arguments: TestEngine.available)
    func aNewClientsInboundCallAnsweredByAnEmployeeCreatesContactAccountAndDealForThem(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Self.scenario(t)
            s.call("new", utm: "google")
            let (db, config) = try s.load()
            _ = try CallScenario.run(db, config)
            #expect(try CallScenario.events(t)["new"]?.status == "waiting")
            let contact = try #require(try t.rawRows("SELECT lastname, phone, leadsource, ownerid, account__leadsync_id__c, utm_source__c FROM contact").first)
            #expect(contact.string("lastname") == "+49301234567")
            #expect(contact.string("ownerid") == Self.agent)
            #expect(contact.string("account__leadsync_id__c") == "call:new")
            #expect(contact.string("utm_source__c") == "google")
            let deal = try #require(try t.rawRows("SELECT name, stagename, closedate, ownerid, leadsource, contact__leadsync_id__c, account__leadsync_id__c, isclosed FROM opportunity").first)
            #expect(deal.string("name") == "Call +49301234567")
            #expect(deal.string("stagename") == "Prospecting")
            #expect(deal.string("closedate").map { String($0.prefix(10)) } == "2026-04-15", "the call's local date + 30 days")
            #expect(deal.string("contact__leadsync_id__c") == "call:new")
            #expect(try t.scalar("SELECT name FROM account") == "+49301234567")
            try HerokuConnectSim.sync(t)
            _ = try CallScenario.run(db, config, minutesLater: 5)
            let e = try CallScenario.events(t)
            #expect(Self.tasks(e, "new") == [[Self.agent, "Completed", "Inbound call - answered"]])
            #expect(e["new"]?.tasks.first?["whatid"]?.hasPrefix("006SIM") == true)
        }
    }

    @Test(arguments: TestEngine.available)
    func aNewClientsCallAnsweredByAnUnknownEmployeeOrMissedGoesToTheTopManager(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Self.scenario(t)
            s.call("unknown-agent", agent: "temp@agency.example", number: "+49 30 1111111")
            s.call("missed", "inbound", "missed", duration: 0, agent: "agent@example.com", number: "+49 30 2222222")
            s.call("voicemail", "inbound", "voicemail", number: "+49 30 3333333")
            let (db, config) = try s.load()
            _ = try CallScenario.run(db, config)
            #expect(try t.scalar("SELECT count(*) FROM contact WHERE ownerid = '\(Self.boss)'") == "3")
            try HerokuConnectSim.sync(t)
            _ = try CallScenario.run(db, config, minutesLater: 5)
            let e = try CallScenario.events(t)
            #expect(Self.tasks(e, "unknown-agent") == [[Self.boss, "Not Started", "Call answered by an unknown employee: temp@agency.example"]])
            #expect(Self.tasks(e, "missed") == [[Self.boss, "Not Started", "Inbound call - missed"]])
            #expect(Self.tasks(e, "voicemail") == [[Self.boss, "Not Started", "Inbound call - voicemail"]])
            #expect(e["missed"]?.tasks.first?["activitydate"].map { String($0.prefix(10)) } == "2026-03-16")
        }
    }

    @Test(arguments: TestEngine.available)
    func aNewClientsOutboundCallsAndSMSAreSkipped(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Self.scenario(t)
            s.call("outbound", "outbound", "answered")
            s.call("unanswered", "outbound", "unanswered", duration: 0)
            s.call("sms", "inbound", "", channel: "sms", duration: 0, wait: 0)
            let (_, e, _) = try s.run()
            for id in ["outbound", "unanswered", "sms"] { #expect(e[id]?.code == "unknown_number", "\(id)") }
            #expect(try t.scalar("SELECT count(*) FROM contact") == "0")
        }
    }

    // Existing clients
    @Test(arguments: TestEngine.available)
    func anInboundCallAnsweredByTheResponsibleGivesThemOneCompletedTask(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Self.scenario(t)
            Self.existingClient(&s, dealOwner: Self.agent)
            s.call("answered")
            let (_, e, _) = try s.run()
            #expect(Self.tasks(e, "answered") == [[Self.agent, "Completed", "Inbound call - answered"]])
            #expect(e["answered"]?.tasks.first?["whoid"] == Self.contact)
            #expect(e["answered"]?.tasks.first?["whatid"] == Self.deal)
            #expect(e["answered"]?.tasks.first?["leadsync_id__c"] == "call:answered:1")
        }
    }

    @Test(arguments: TestEngine.available)
    func anInboundCallAnsweredByAnotherAgentGivesTheResponsibleACheckTask(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Self.scenario(t)
            Self.existingClient(&s)
            s.call("answered", at: "2026-03-16T10:00:00Z", agent: " Agent@Example.com ")
            let (_, e, _) = try s.run()
            #expect(Self.tasks(e, "answered") == [[Self.agent, "Completed", "Inbound call - answered"],
                                                   [Self.other, "Not Started", "Check the call answered by Agent@Example.com"]])
            #expect(e["answered"]?.tasks.last?["leadsync_id__c"] == "call:answered:2")
            #expect(e["answered"]?.tasks.last?["activitydate"].map { String($0.prefix(10)) } == "2026-03-16", "due 4 hours after the call, local date")
        }
    }

    @Test(arguments: TestEngine.available)
    func anInboundCallAnsweredByAnUnknownEmployeeGivesTheTopManagerAnOpenTask(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Self.scenario(t)
            Self.existingClient(&s)
            s.call("answered", agent: "gone@example.com")
            let (_, e, _) = try s.run()
            #expect(Self.tasks(e, "answered") == [[Self.boss, "Not Started", "Call answered by an unknown employee: gone@example.com"]])
            #expect(e["answered"]?.ownerSource == "top_manager")
        }
    }

    @Test(arguments: TestEngine.available)
    func aMissedCallOrVoicemailGivesTheResponsibleAnOpenTaskDueLater(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Self.scenario(t)
            Self.existingClient(&s)
            // 21:30 UTC is 22:30 in Berlin: due four hours later, the next day.
            s.call("missed", "inbound", "missed", at: "2026-03-15T21:30:00Z", duration: 0)
            s.call("voicemail", "inbound", "voicemail", at: "2026-03-16T09:00:00Z")
            let (_, e, _) = try s.run()
            #expect(Self.tasks(e, "missed") == [[Self.other, "Not Started", "Inbound call - missed"]])
            #expect(e["missed"]?.tasks.first?["activitydate"].map { String($0.prefix(10)) } == "2026-03-16")
            #expect(Self.tasks(e, "voicemail") == [[Self.other, "Not Started", "Inbound call - voicemail"]])
        }
    }

    @Test(arguments: TestEngine.available)
    func anOutboundAnsweredCallGoesToTheResponsible(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Self.scenario(t)
            Self.existingClient(&s, dealOwner: Self.agent)
            s.call("by-responsible", "outbound", "answered", at: "2026-03-16T10:00:00Z")
            s.call("by-other", "outbound", "answered", at: "2026-03-16T10:10:00Z", agent: "other@example.com")
            let (_, e, _) = try s.run()
            #expect(Self.tasks(e, "by-responsible") == [[Self.agent, "Completed", "Outbound call - answered"]])
            #expect(Self.tasks(e, "by-other") == [[Self.agent, "Completed", "Call by other@example.com"]])
        }
    }

    @Test(arguments: TestEngine.available)
    func anOutboundUnansweredCallOrSMSGoesToTheAgentElseTheTopManager(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Self.scenario(t)
            Self.existingClient(&s)
            s.call("unanswered", "outbound", "unanswered", at: "2026-03-16T10:00:00Z", duration: 0)
            s.call("sms", "outbound", "", channel: "sms", at: "2026-03-16T10:05:00Z", duration: 0, wait: 0, agent: "nobody@else.example")
            let (_, e, _) = try s.run()
            #expect(Self.tasks(e, "unanswered") == [[Self.agent, "Completed", "Outbound call - unanswered"]])
            #expect(Self.tasks(e, "sms") == [[Self.boss, "Completed", "Outbound SMS"]])
            #expect(e["sms"]?.tasks.first?["whatid"] == Self.deal, "the open opportunity")
        }
    }

    // The open opportunity and the responsible
    @Test(arguments: TestEngine.available)
    func anInboundCallWithoutAnOpenDealOpensOneUnlessAClosedOneIsReused(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Self.scenario(t)
            s.contact(Self.contact, phone: "+49 30 1234567", owner: Self.agent)
            s.opportunity("006000000000CLOSED", contact: Self.contact, closed: true)
            s.call("inbound")
            s.call("sms", "inbound", "", channel: "sms", at: "2026-03-16T10:00:00Z", duration: 0, wait: 0)
            let (db, config) = try s.load()
            _ = try CallScenario.run(db, config)
            var e = try CallScenario.events(t)
            #expect(e["sms"]?.tasks.first?["whatid"] == "", "no open opportunity yet when the SMS came")
            #expect(e["inbound"]?.status == "waiting", "its new opportunity has no sfid yet")
            let created = try #require(try t.rawRows("SELECT ownerid, contactid, leadsync_id__c FROM opportunity WHERE leadsync_id__c IS NOT NULL").first)
            #expect(created.string("ownerid") == Self.agent, "owned by the contact's owner")
            #expect(created.string("contactid") == Self.contact)
            try HerokuConnectSim.sync(t)
            _ = try CallScenario.run(db, config, minutesLater: 5)
            e = try CallScenario.events(t)
            #expect(Self.tasks(e, "inbound") == [[Self.agent, "Completed", "Inbound call - answered"]])
        }
        try withTestDatabase(engine) { t in
            var s = Self.scenario(t, extra: "create_opportunity = \"if_no_previous\"\n")
            s.contact(Self.contact, phone: "+49 30 1234567", owner: Self.other)
            s.opportunity("006000000000CLOSED", contact: Self.contact, closed: true, owner: Self.agent)
            s.call("inbound", "inbound", "missed", duration: 0)
            let (_, e, _) = try s.run()
            #expect(Self.tasks(e, "inbound") == [[Self.other, "Not Started", "Inbound call - missed"]], "the reused deal's responsible is the contact's owner")
            #expect(e["inbound"]?.tasks.first?["whatid"] == "006000000000CLOSED")
            #expect(try t.scalar("SELECT count(*) FROM opportunity") == "1", "nothing created")
        }
    }

    @Test(arguments: TestEngine.available)
    func aResponsibleWhoIsNoLongerActiveIsReplacedByTheTopManager(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Self.scenario(t)
            Self.existingClient(&s, dealOwner: Self.gone)
            s.call("missed", "inbound", "missed", duration: 0)
            let (_, e, _) = try s.run()
            #expect(Self.tasks(e, "missed") == [[Self.boss, "Not Started", "Inbound call - missed"]])
        }
    }

    // UTM tags
    @Test(arguments: TestEngine.available)
    func aLoggedCallFillsEmptyUTMTagsAndNeverOverwrites(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Self.scenario(t)
            s.account("001000000000000001", phone: "+49 89 9999999")
            s.contact(Self.contact, phone: "+49 30 1234567", account: "001000000000000001", owner: Self.agent)
            s.opportunity(Self.deal, contact: Self.contact, owner: Self.agent, utm: "newsletter")
            s.call("first", at: "2026-03-16T10:00:00Z", utm: "google")
            s.call("second", at: "2026-03-16T10:30:00Z", utm: "bing")
            let (_, e, _) = try s.run()
            #expect(e["first"]?.status == "logged")
            #expect(try t.scalar("SELECT utm_source__c FROM contact") == "google")
            #expect(try t.scalar("SELECT utm_source__c FROM account") == "google")
            #expect(try t.scalar("SELECT utm_source__c FROM opportunity") == "newsletter", "never overwritten")
            #expect(try t.scalar("SELECT _hc_lastop FROM contact") == "PENDING", "pushed to Salesforce")
            let stamp = try t.scalar("SELECT systemmodstamp FROM contact")
            #expect(stamp.map { $0.hasPrefix("2026-01-01") } == true, "systemmodstamp is Salesforce's to set")
        }
    }

    @Test(arguments: TestEngine.available)
    func theTopManagerMustBeAnActiveUser(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = CallScenario(t)
            s.calls += "profile = \"deals\"\ntop_manager = \"gone@example.com\"\n"
            s.call("any")
            let (db, config) = try s.load()
            let error = #expect(throws: UsageError.self) { try CallScenario.run(db, config) }
            #expect("\(error.map { "\($0)" } ?? "")".contains("calls.top_manager gone@example.com is inactive"))
            #expect(throws: ConfigError.self) { try Configuration.parse("[calls]\nprofile = \"deals\"\n", file: "t.toml") }
        }
    }
}
