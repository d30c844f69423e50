import Foundation
import Testing
@testable import LeadSync

/// The public call corpora (CALL_RULES.md) through the CLI on both engines, by their README's
/// procedure: every event, task, created record and UTM update as expected.
@Suite struct CallCorpusTests {
    @Test(arguments: TestEngine.available, ["activity", "deals"])
    func everyEventTaskAndRecordAsExpected(engine: TestEngine, profile: String) throws {
        try withTestDatabase(engine) { t in
            let config = try CallCorpus.load(profile, into: t)
            let runs = try CallCorpus.runRounds(profile, t, config: config)
            let events = try CallCorpus.eventMismatches(profile, t)
            let expected = try CallCorpus.records(profile, "expected_events.csv").count
            print("calls/\(profile) on \(engine): \(expected - Set(events.map { $0.split(separator: ".").first ?? "" }).count)/\(expected) events as expected after \(runs) runs")
            #expect(events.isEmpty, "\(events.count) event differences:\n\(events.prefix(30).joined(separator: "\n"))")
            let tasks = try CallCorpus.taskMismatches(profile, t)
            #expect(tasks.isEmpty, "\(tasks.count) task differences:\n\(tasks.prefix(30).joined(separator: "\n"))")
            let records = try CallCorpus.recordMismatches(profile, t)
            #expect(records.isEmpty, "\(records.count) record differences:\n\(records.prefix(30).joined(separator: "\n"))")
            let report = try CLI.run(["report", "1", "--database", t.url])
            #expect(report.stdout.contains("call events logged"), "\(report.stdout)")
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: try ReportTests.summary(ofRun: 1, in: t.directory.appendingPathComponent("reports"))))
            let calls = (json as? [String: Any])?["calls"] as? [String: Any]
            #expect(calls?["read"] as? Int == (try CallCorpus.records(profile, "expected_events.csv").count), "the first run reads every event")
            let utm = try CallCorpus.utmMismatches(profile, t)
            #expect(utm.isEmpty, "\(utm.count) UTM differences:\n\(utm.prefix(30).joined(separator: "\n"))")
        }
    }
}
