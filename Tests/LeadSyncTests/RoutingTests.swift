import Foundation
import Testing
@testable import LeadSync

/// SYNC_RULES.md §11: owners by a booking tool's rep, the capturing user, routing rules' teams in
/// rotation, the fallback owner; one named test per rule, each on SQLite and PostgreSQL.
@Suite struct RoutingTests {
    static let ann = "005000000000000101", ben = "005000000000000102", cat = "005000000000000103", dan = "005000000000000104"
    static let admin = "005000000000000999", rep = "005000000000000001"
    /// Captured by someone who is no CRM user: such a row reaches routing.
    static let stranger = "visitor@else.example"

    /// A scenario with the team users (cat inactive) and `rules` (TOML of `[[routing.rules]]`).
    static func scenario(_ t: TestDatabase, rules: String) -> Scenario {
        var s = Scenario(t)
        s.user(ann, "ann@team.example")
        s.user(ben, "ben@team.example")
        s.user(cat, "cat@team.example", active: false)
        s.user(dan, "dan@team.example")
        s.config += rules
        return s
    }

    static let everyone = """
        [[routing.rules]]
        name = "everyone"
        team = [{ email = "ann@team.example" }, { email = "ben@team.example" }]

        """

    @Test(arguments: TestEngine.available)
    func assignedRepWinsAndIsNeverRouted(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Self.scenario(t, rules: Self.everyone)
            s.capture("booked", last: "Alpha", email: "a@x.example", by: Self.stranger, minutesAgo: 50, source: "calendly", assignedTo: " DAN@Team.example ")
            s.capture("booked-by-rep", last: "Beta", email: "b@x.example", minutesAgo: 40, assignedTo: "ben@team.example")
            s.capture("assigned-gone", last: "Gamma", email: "c@x.example", by: Self.stranger, minutesAgo: 30, assignedTo: "cat@team.example")
            let (summary, o) = try s.run()
            #expect(o["booked"]?.owner == Self.dan)
            #expect(o["booked"]?.ownerSource == "assigned")
            #expect(o["booked-by-rep"]?.owner == Self.ben, "assigned_to comes before the capturing user")
            #expect(o["booked-by-rep"]?.ownerSource == "assigned")
            #expect(o["assigned-gone"]?.ownerSource == "routing", "an inactive assigned rep does not count")
            #expect(o["assigned-gone"]?.owner == Self.ann, "the first routed row takes the rotation's first slot")
            #expect(summary.ownersBySource["assigned"] == 2)
        }
    }

    @Test(arguments: TestEngine.available)
    func capturingUserComesBeforeRouting(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Self.scenario(t, rules: Self.everyone)
            s.capture("mine", last: "Alpha", email: "a@x.example")
            s.capture("inactive-capturer", last: "Beta", email: "b@x.example", by: "gone@example.com")
            let (_, o) = try s.run()
            #expect(o["mine"]?.ownerSource == "user")
            #expect(o["mine"]?.owner == Self.rep)
            #expect(o["mine"]?.rule == nil)
            #expect(o["inactive-capturer"]?.ownerSource == "routing")
            #expect(o["inactive-capturer"]?.rule == "everyone")
        }
    }

    @Test(arguments: TestEngine.available)
    func rulesAreTriedInOrderAndEveryConditionMustHold(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Self.scenario(t, rules: """
                [[routing.rules]]
                name = "vienna-web"
                sources = ["webform"]
                countries = ["at"]
                postal_code_prefixes = ["1"]
                targets = ["lead"]
                team = [{ email = "ann@team.example" }]
                [[routing.rules]]
                name = "contacts"
                targets = ["contact"]
                team = [{ email = "ben@team.example" }]
                [[routing.rules]]
                name = "rest"
                team = [{ email = "dan@team.example" }]

                """)
            s.capture("vienna", last: "A", email: "a@x.example", by: Self.stranger, minutesAgo: 60, postalCode: " 1010", country: "AT")
            s.capture("graz", last: "B", email: "b@x.example", by: Self.stranger, minutesAgo: 59, postalCode: "8010", country: "AT")
            s.capture("vienna-contact", last: "C", email: "c@x.example", by: Self.stranger, target: "contact", minutesAgo: 58,
                      postalCode: "1010", country: "at")
            s.capture("vienna-fair", last: "D", email: "d@x.example", by: Self.stranger, minutesAgo: 57, source: "lemontaps",
                      postalCode: "1010", country: "AT")
            let (_, o) = try s.run()
            #expect(o["vienna"]?.rule == "vienna-web")
            #expect(o["vienna"]?.owner == Self.ann)
            #expect(o["graz"]?.rule == "rest", "postal code not in the prefixes")
            #expect(o["vienna-contact"]?.rule == "contacts", "a contact is not a lead target")
            #expect(o["vienna-contact"]?.owner == Self.ben)
            #expect(o["vienna-fair"]?.rule == "rest", "another source")
        }
    }

    @Test(arguments: TestEngine.available)
    func weightedRotationPassesOverInactiveMembers(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            // Slots: ann, ann, cat (inactive), ben.
            var s = Self.scenario(t, rules: """
                [[routing.rules]]
                name = "weighted"
                team = [{ email = "ann@team.example", weight = 2 }, { email = "cat@team.example" }, { email = "ben@team.example" }]

                """)
            for i in 0..<7 { s.capture("r\(i)", last: "L\(i)", email: "r\(i)@x.example", by: Self.stranger, minutesAgo: 100 - i) }
            let (summary, o) = try s.run(batchSize: 3)
            #expect((0..<7).map { o["r\($0)"]?.owner } == [Self.ann, Self.ann, Self.ben, Self.ann, Self.ann, Self.ben, Self.ann])
            #expect(summary.ownersByRule == ["weighted": 7])
        }
    }

    @Test(arguments: TestEngine.available)
    func rotationContinuesAcrossRunsButNotThroughADryRun(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Self.scenario(t, rules: Self.everyone)
            s.capture("first", last: "A", email: "a@x.example", by: Self.stranger)
            let (db, config) = try s.load()
            _ = try SyncJob(db: db, config: config).run(Scenario.options())
            let later = "external_id,source,captured_at,captured_by,last_name,company,email\nsecond,webform,2026-11-20T11:30:00Z,\(Self.stranger),B,ACME,b@x.example\n"
            try s.importLater(later, into: db)
            var dryRun = Scenario.options()
            dryRun.dryRun = true
            let dry = try SyncJob(db: db, config: config).run(dryRun)
            #expect(dry.ownersByRule == ["everyone": 1])
            _ = try SyncJob(db: db, config: config).run(Scenario.options())
            let o = try Scenario.outcomes(db)
            #expect(o["first"]?.owner == Self.ann)
            #expect(o["second"]?.owner == Self.ben, "the next run continues the rotation; the dry run did not move it")
        }
    }

    @Test(arguments: TestEngine.available)
    func aChangedTeamStartsAgainAtItsFirstMember(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Self.scenario(t, rules: Self.everyone)
            s.capture("first", last: "A", email: "a@x.example", by: Self.stranger)
            let (db, config) = try s.load()
            _ = try SyncJob(db: db, config: config).run(Scenario.options())
            try s.importLater("external_id,source,captured_at,captured_by,last_name,company,email\nsecond,webform,2026-11-20T11:30:00Z,\(Self.stranger),B,ACME,b@x.example\n",
                              into: db)
            var changed = config
            changed.routing = try Configuration.parse(s.config.replacingOccurrences(of: "{ email = \"ben@team.example\" }",
                                                                                    with: "{ email = \"ben@team.example\", weight = 2 }"),
                                                      file: "changed.toml").routing
            _ = try SyncJob(db: db, config: changed).run(Scenario.options())
            let o = try Scenario.outcomes(db)
            #expect(o["first"]?.owner == Self.ann)
            #expect(o["second"]?.owner == Self.ann, "other weights: the rotation starts again")
        }
    }

    @Test(arguments: TestEngine.available)
    func bookingToolRowsAreNotRoutedUnlessConfigured(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Self.scenario(t, rules: Self.everyone)
            s.capture("calendly", last: "A", email: "a@x.example", by: Self.stranger, source: "Calendly")
            s.capture("fair", last: "B", email: "b@x.example", by: Self.stranger, source: "lemontaps")
            let (_, o) = try s.run()
            #expect(o["calendly"]?.ownerSource == "fallback")
            #expect(o["calendly"]?.owner == Self.admin)
            #expect(o["fair"]?.ownerSource == "routing")

            try withTestDatabase(engine) { t2 in
                var s2 = Self.scenario(t2, rules: "[routing]\nexclude_sources = [\"lemontaps\"]\n" + Self.everyone)
                s2.capture("calendly", last: "A", email: "a@x.example", by: Self.stranger, source: "calendly")
                s2.capture("fair", last: "B", email: "b@x.example", by: Self.stranger, source: "lemontaps")
                let (_, o2) = try s2.run()
                #expect(o2["calendly"]?.ownerSource == "routing")
                #expect(o2["fair"]?.ownerSource == "fallback")
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func duplicatesTakeNoTurnAndATeamWithNoActiveMemberDoesNotMatch(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Self.scenario(t, rules: """
                [[routing.rules]]
                name = "vacant"
                team = [{ email = "cat@team.example" }]
                """ + "\n" + Self.everyone)
            s.capture("a", last: "A", email: "same@x.example", by: Self.stranger, minutesAgo: 50)
            s.capture("dup", last: "B", email: "same@x.example", by: Self.stranger, minutesAgo: 40)
            s.capture("c", last: "C", email: "c@x.example", by: Self.stranger, minutesAgo: 30)
            let (_, o) = try s.run()
            #expect(o["a"]?.rule == "everyone")
            #expect(o["a"]?.owner == Self.ann)
            #expect(o["dup"]?.code == "duplicate_email")
            #expect(o["dup"]?.rule == nil)
            #expect(o["c"]?.owner == Self.ben, "the duplicate took no turn")
        }
    }

    @Test(arguments: TestEngine.available)
    func reportNamesTheRulePerRowAndCountsOwnersPerRule(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Self.scenario(t, rules: Self.everyone)
            s.capture("routed", last: "A", email: "a@x.example", by: Self.stranger, minutesAgo: 50)
            s.capture("own", last: "B", email: "b@x.example", minutesAgo: 40)
            let reports = t.directory.appendingPathComponent("reports")
            let (summary, _) = try s.run { $0.report = ReportOptions(directory: reports.path) }
            let folder = try ReportTests.folder(in: reports)
            let exported = try String(contentsOf: folder.appendingPathComponent("exported.csv"), encoding: .utf8)
            let routed = try #require(exported.split(separator: "\r\n").first { $0.hasPrefix("routed,") })
            #expect(routed.contains(",\(Self.ann),routing,everyone,"))
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("summary.json"))) as? [String: Any]
            #expect(json?["owners_by_rule"] as? [String: Int] == ["everyone": 1])
            #expect(SummaryText.render(summary).contains("1    by rule everyone"))
        }
    }

    @Test func eachRoutingKeyIsCheckedAtStartNamingIt() throws {
        let cases: [(String, String)] = [
            ("[[routing.rules]]\nname = \"r\"\n", "key routing.rules.r.team: a rule needs a team"),
            ("[[routing.rules]]\nname = \"r\"\nteam = [{ email = \"a@x.example\", weight = 0 }]\n", "key routing.rules.r.team[1].weight"),
            ("[[routing.rules]]\nname = \"r\"\ntargets = [\"opportunity\"]\nteam = [{ email = \"a@x.example\" }]\n",
             "key routing.rules.r.targets: unknown target \"opportunity\""),
            ("[[routing.rules]]\nteam = [{ email = \"a@x.example\" }]\n", "key routing.rules[1]: has no name"),
            ("[[routing.rules]]\nname = \"r\"\ncolour = \"red\"\nteam = [{ email = \"a@x.example\" }]\n", "key routing.rules.r.colour: unknown key"),
            ("[routing]\nexclude_sources = \"calendly\"\n", "key routing.exclude_sources: must be a list"),
            ("contact_account = \"always\"\n", "key contact_account: must be \"none\", \"match\" or \"match_or_create\""),
            ("confirmations = \"no\"\n", "key confirmations: must be true or false"),
            ("max_wait_minutes = 0\n", "key max_wait_minutes"),
        ]
        for (text, message) in cases {
            let error = #expect(throws: ConfigError.self) { try Configuration.parse(text, file: "t.toml") }
            #expect(error?.description.contains(message) == true, "\(text) → \(error?.description ?? "no error")")
        }
    }

    @Test(arguments: TestEngine.available)
    func aTeamMemberWhoIsNoCRMUserStopsTheRunBeforeAnyRow(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Self.scenario(t, rules: """
                [[routing.rules]]
                name = "typo"
                team = [{ email = "ann@team.example" }, { email = "bne@team.example" }]

                """)
            s.capture("a", last: "A", email: "a@x.example", by: Self.stranger)
            let (db, config) = try s.load()
            let error = #expect(throws: UsageError.self) { try SyncJob(db: db, config: config).run(Scenario.options()) }
            #expect("\(error.map { "\($0)" } ?? "")".contains("routing rule \"typo\": team member bne@team.example is not a CRM user"))
            #expect(try Scenario.outcomes(db)["a"]?.status == "pending")
        }
    }
}
