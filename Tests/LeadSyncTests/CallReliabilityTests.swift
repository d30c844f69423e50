import Foundation
import Testing
@testable import LeadSync

/// Call events under several processes, killed runs and bad input: every event ends logged,
/// skipped or failed once, no task or created record twice, nothing lost.
@Suite struct CallReliabilityTests {
    /// No task and no record created twice; every event in a known state, every failure with a reason.
    static func checkInvariants(_ t: TestDatabase) throws {
        for table in ["task", "lead", "contact", "account", "opportunity", "case"] {
            #expect(try t.scalar("SELECT count(leadsync_id__c) - count(DISTINCT leadsync_id__c) FROM \"\(table)\"") == "0", "no \(table) written twice")
        }
        #expect(try t.scalar("SELECT count(*) FROM call_event WHERE status IN ('failed', 'skipped') AND error_code IS NULL") == "0")
        #expect(try t.scalar("SELECT count(*) FROM call_event WHERE status = 'logged' AND task_count IS NULL") == "0")
        #expect(try t.scalar("""
            SELECT count(*) FROM call_event e
            WHERE e.status = 'logged' AND e.task_count <> (SELECT count(*) FROM task k WHERE k.leadsync_id__c LIKE 'call:' || e.external_id || ':%')
            """) == "0", "a logged event's tasks are all written")
    }

    /// Several processes over the same events, each round of the corpus's procedure run by all of
    /// them at once, give the single run's events, tasks and records.
    @Test(arguments: TestEngine.available, ["activity", "deals"])
    func concurrentCallRunsGiveTheSingleRunTasks(engine: TestEngine, profile: String) throws {
        let processes = engine == .postgres ? 4 : 2
        try withTestDatabase(engine) { t in
            let config = try CallCorpus.load(profile, into: t)
            let answers = try CallCorpus.answers(profile)
            for _ in 0..<4 {
                let errors = try ConcurrencyTests.runConcurrently(t, config: config, processes: processes, batchSize: 53, extra: ["--only", "calls"])
                #expect(errors.isEmpty, "\(errors)")
                try HerokuConnectSim.sync(t, answers)
            }
            let back = t.engine == .postgres ? "waiting_since - interval '3 days'" : "strftime('%Y-%m-%dT%H:%M:%fZ', waiting_since, '-3 days')"
            try t.exec("UPDATE call_event SET waiting_since = \(back) WHERE status = 'waiting'")
            #expect(try ConcurrencyTests.runConcurrently(t, config: config, processes: processes, extra: ["--only", "calls"]).isEmpty)
            try Self.checkInvariants(t)
            let events = try CallCorpus.eventMismatches(profile, t)
            #expect(events.isEmpty, "\(events.count) event differences, e.g. \(events.prefix(8))")
            let tasks = try CallCorpus.taskMismatches(profile, t)
            #expect(tasks.isEmpty, "\(tasks.count) task differences, e.g. \(tasks.prefix(8))")
            let records = try CallCorpus.recordMismatches(profile, t)
            #expect(records.isEmpty, "\(records.count) record differences, e.g. \(records.prefix(8))")
        }
    }

    @Test(arguments: TestEngine.available)
    func killedCallRunsThenANormalRunLogEveryEventOnce(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            let config = try CallCorpus.load("deals", into: t)
            try ReliabilityTests.killRuns(t, config: config, extra: ["--only", "calls"], times: 6 * Soak.rounds, upToMicroseconds: 600_000) {
                try Self.checkInvariants(t)
            }
            try ReliabilityTests.waitForKilledSessions(t)
            try CallCorpus.runRounds("deals", t, config: config, runArguments: ["--only", "calls"])
            try Self.checkInvariants(t)
            let events = try CallCorpus.eventMismatches("deals", t)
            #expect(events.isEmpty, "\(events.count) event differences, e.g. \(events.prefix(8))")
            let records = try CallCorpus.recordMismatches("deals", t)
            #expect(records.isEmpty, "\(records.count) record differences, e.g. \(records.prefix(8))")
            #expect(try t.scalar("SELECT count(*) FROM sync_run WHERE status = 'running'") == "0")
        }
    }

    @Test(arguments: TestEngine.available)
    func aBadCallFileImportsNothingAndNamesTheLine(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            _ = try t.migrated()
            let header = "external_id,source,channel,direction,outcome,started_at,duration_seconds,client_number\n"
            let good = "c1,aircall,call,inbound,answered,2026-03-16T10:00:00Z,60,+4930123456\n"
            let cases: [(String, String)] = [
                ("external_id,source,colour\nc1,aircall,red\n", "line 1: unknown column \"colour\""),
                (header + good + "c2,aircall,call,inbound,answered,2026-03-16T10:05:00Z,60,\"+4930", "line 3: unterminated quoted field"),
                (header + good + "c2,aircall,call,inbound,answered\n", "line 3: has 5 fields, the header has 8"),
                (header + "c1,aircall,call,inbound,answered,yesterday,60,+4930123456\n", "line 2: started_at \"yesterday\" is not an ISO-8601 timestamp"),
                (header + "c1,aircall,call,inbound,answered,2026-03-16T10:00:00Z,a minute,+4930123456\n", "line 2: duration_seconds \"a minute\" is not a whole number"),
                ("external_id,direction\nc1,inbound\n", "line 1: the header has no started_at column"),
            ]
            for (text, message) in cases {
                let file = t.directory.appendingPathComponent("calls-\(UUID().uuidString).csv")
                try Data(text.utf8).write(to: file)
                let r = try CLI.run(["import-calls", file.path, "--database", t.url])
                #expect(r.status == 1)
                #expect(r.stderr.contains(message), "\(message) → \(r.stderr)")
                #expect(r.errorLines.count == 1)
            }
            #expect(try t.scalar("SELECT count(*) FROM call_event") == "0", "nothing imported")
            // A call id twice: the later line wins; a time without a zone is UTC; a second import
            // changes nothing.
            let file = t.directory.appendingPathComponent("calls.csv")
            try Data((header + good + "c1,aircall,call,inbound,missed,2026-03-16 10:00:00,0,+4930123456\n").utf8).write(to: file)
            let first = try CLI.run(["import-calls", file.path, "--database", t.url])
            #expect(first.stdout.contains("1 new, 0 updated, 0 left alone (1 lines repeated an external_id"), "\(first.stdout)")
            #expect(try t.scalar("SELECT outcome FROM call_event") == "missed")
            let again = try CLI.run(["import-calls", file.path, "--database", t.url])
            #expect(again.stdout.contains("0 new, 0 updated, 1 left alone"), "\(again.stdout)")
            let started = try #require(try t.scalar("SELECT started_at FROM call_event"))
            #expect(Timestamp.parse(started) == Timestamp.parse("2026-03-16T10:00:00Z"))
        }
    }
}
