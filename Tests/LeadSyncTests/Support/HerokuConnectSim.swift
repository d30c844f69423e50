import Foundation
@testable import LeadSync

/// Heroku Connect played against a test database by the project's script
/// (`scripts/heroku-connect-sim.sh`), as `make demo` plays it: every pending mirror row synced,
/// except those `outcomes` name.
enum HerokuConnectSim {
    /// What Salesforce does with one mirror row, named by its `leadsync_id__c`.
    struct Outcome {
        var object = "lead"
        let id: String
        /// `fail`, `stall` or `delete`.
        let action: String
        var hcError = ""
        var sfMessage = ""
    }

    /// Runs one sync over `t`'s mirror; returns the script's summary line.
    @discardableResult
    static func sync(_ t: TestDatabase, _ outcomes: [Outcome] = []) throws -> String {
        var arguments = [Fixtures.packageRoot.appendingPathComponent("scripts/heroku-connect-sim.sh").path, t.url]
        if !outcomes.isEmpty {
            let file = t.directory.appendingPathComponent("hc-\(UUID().uuidString).csv")
            let lines = outcomes.map { o in [o.object, o.id, o.action, o.hcError, o.sfMessage].map(Scenario.csvField).joined(separator: ",") }
            try Data((["object,leadsync_id__c,action,_hc_err,sf_message"] + lines).joined(separator: "\n").utf8).write(to: file)
            arguments.append(file.path)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let error = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw UsageError("heroku-connect-sim failed: \(error)") }
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
