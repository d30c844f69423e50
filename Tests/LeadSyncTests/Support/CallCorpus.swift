import Foundation
import Testing
@testable import LeadSync

/// The call fixtures (`Fixtures/calls/activity`, `…/deals`, CALL_RULES.md), run by the procedure
/// their README gives: migrate, load the CRM, import the events; runs and Heroku Connect rounds
/// (scripts/heroku-connect-sim.sh, with `hc_fail.csv` and `hc_stall.csv`) while events are pending
/// or waiting, at most four runs; then the waiting ones' `waiting_since` moved back and one more
/// run. The comparisons read the database as a user's report would.
enum CallCorpus {
    static func directory(_ profile: String) -> URL { Fixtures.url("calls/\(profile)") }

    static func records(_ profile: String, _ file: String) throws -> [[String: String]] {
        try Corpus.records(file, corpus: "calls/\(profile)")
    }

    /// Loads the CRM and the events through the CLI; returns the config path.
    static func load(_ profile: String, into t: TestDatabase) throws -> String {
        let config = t.directory.appendingPathComponent("calls.toml")
        try Data(try Fixtures.text("calls/\(profile)/leadsync.toml").utf8).write(to: config)
        let dir = directory(profile)
        for args in [["migrate", "--crm-mirror"], ["load-crm", dir.path], ["import-calls", dir.appendingPathComponent("call_events.csv").path],
                     ["import-calls", dir.appendingPathComponent("call_events.csv").path]] {
            let r = try CLI.run(args + ["--database", t.url, "--config", config.path])
            guard r.status == 0 else { throw UsageError("\(args[0]) failed: \(r.stderr)") }
        }
        return config.path
    }

    /// Heroku Connect's answers of the fixture: the records it fails and those it never syncs.
    static func answers(_ profile: String) throws -> [HerokuConnectSim.Outcome] {
        try records(profile, "hc_fail.csv").map { .init(object: $0["object"] ?? "", id: $0["leadsync_id__c"] ?? "", action: "fail", hcError: $0["_hc_err"] ?? "") }
            + records(profile, "hc_stall.csv").map { .init(object: $0["object"] ?? "", id: $0["leadsync_id__c"] ?? "", action: "stall") }
    }

    /// The README's procedure after `load`; returns how many runs it took.
    @discardableResult
    static func runRounds(_ profile: String, _ t: TestDatabase, config: String, runArguments: [String] = [], as url: String? = nil) throws -> Int {
        let answers = try answers(profile)
        var runs = 0
        func run() throws {
            let r = try CLI.run(["run", "--settle-minutes", "0", "--database", url ?? t.url, "--config", config,
                                 "--report-dir", t.directory.appendingPathComponent("reports").path] + runArguments)
            guard r.status == 0 else { throw UsageError("run failed: \(r.stderr)") }
            runs += 1
        }
        repeat {
            try run()
            try HerokuConnectSim.sync(t, answers)
        } while try runs < 4 && (t.scalar("SELECT count(*) FROM call_event WHERE status IN ('pending', 'waiting')")) != "0"
        let back = t.engine == .postgres ? "waiting_since - interval '3 days'" : "strftime('%Y-%m-%dT%H:%M:%fZ', waiting_since, '-3 days')"
        try t.exec("UPDATE call_event SET waiting_since = \(back) WHERE status = 'waiting'")
        try run()
        return runs
    }

    /// A mirror record as the expected files name it: the `leadsync_id__c` of one the job created,
    /// else its sfid.
    static func refs(_ t: TestDatabase) throws -> (byID: [String: [Int64: String]], bySfid: [String: (object: String, ref: String)]) {
        var byID: [String: [Int64: String]] = [:]
        var bySfid: [String: (String, String)] = [:]
        for table in ["lead", "contact", "account", "opportunity", "case"] {
            for row in try t.rawRows("SELECT id, sfid, leadsync_id__c FROM \"\(table)\"") {
                let ref = row.string("leadsync_id__c") ?? row.string("sfid") ?? ""
                if let id = row["id"].intValue { byID[table, default: [:]][id] = ref }
                if let sfid = row.string("sfid") { bySfid[sfid] = (table, ref) }
            }
        }
        return (byID, bySfid)
    }

    /// Each event's outcome as expected_events.csv's columns.
    static func events(_ t: TestDatabase) throws -> [String: [String: String]] {
        let refs = try refs(t)
        var out: [String: [String: String]] = [:]
        for row in try t.rawRows("SELECT external_id, status, error_code, error_message, crm_object, crm_id, task_count, owner_source FROM call_event") {
            let logged = row.string("status") == "logged"
            let object = row.string("crm_object") ?? ""
            out[row.string("external_id") ?? ""] = [
                "status": row.string("status") ?? "", "error_code": row.string("error_code") ?? "",
                "crm_object": logged ? object : "", "crm_ref": logged ? (row["crm_id"].intValue.flatMap { refs.byID[object]?[$0] } ?? "") : "",
                "task_count": logged ? (row.string("task_count") ?? "") : "", "owner_source": logged ? (row.string("owner_source") ?? "") : "",
                "error_message": row.string("error_message") ?? "",
            ]
        }
        return out
    }

    /// Differences between expected_events.csv and the database.
    static func eventMismatches(_ profile: String, _ t: TestDatabase) throws -> [String] {
        let actual = try events(t)
        var out: [String] = []
        for e in try records(profile, "expected_events.csv") {
            let id = e["external_id"] ?? ""
            guard let a = actual[id] else { out.append("\(id): not in the database"); continue }
            for column in ["status", "error_code", "crm_object", "crm_ref", "task_count", "owner_source"] where a[column] != e[column] {
                out.append("\(id).\(column): expected \(e[column] ?? "") got \(a[column] ?? "")")
            }
            if let text = e["message_contains"], !text.isEmpty, !(a["error_message"] ?? "").contains(text) {
                out.append("\(id).error_message: expected to contain \(text) got \(a["error_message"] ?? "")")
            }
        }
        return out
    }

    /// Differences between expected_tasks.csv and the task table (and tasks not expected).
    static func taskMismatches(_ profile: String, _ t: TestDatabase) throws -> [String] {
        let refs = try refs(t)
        func point(_ sfid: String?) -> (String, String) {
            guard let sfid, !sfid.isEmpty else { return ("", "") }
            return refs.bySfid[sfid] ?? ("?", sfid)
        }
        var actual: [String: [String: String]] = [:]
        let columns = ["ownerid", "status", "subject", "activitydate", "tasksubtype", "calltype", "calldurationinseconds", "calldisposition",
                       "priority", "description", "whoid", "whatid"]
        for row in try t.rawRows("SELECT leadsync_id__c, \(columns.joined(separator: ", ")) FROM task WHERE leadsync_id__c IS NOT NULL") {
            var values = Dictionary(uniqueKeysWithValues: columns.map { ($0, row.string($0) ?? "") })
            values["owner_sfid"] = values["ownerid"]
            (values["who_object"], values["who_ref"]) = point(row.string("whoid"))
            (values["what_object"], values["what_ref"]) = point(row.string("whatid"))
            values["activitydate"] = String((values["activitydate"] ?? "").prefix(10))
            actual[row.string("leadsync_id__c") ?? ""] = values
        }
        var out: [String] = []
        let expected = try records(profile, "expected_tasks.csv")
        for e in expected {
            let id = e["leadsync_id__c"] ?? ""
            guard let a = actual.removeValue(forKey: id) else { out.append("\(id): no such task"); continue }
            for (column, value) in e where column != "leadsync_id__c" && a[column] != value {
                out.append("\(id).\(column): expected \(value.debugDescription) got \((a[column] ?? "").debugDescription)")
            }
        }
        out += actual.keys.sorted().map { "\($0): a task not expected" }
        return out
    }

    /// Differences between expected_records.csv and the records the job created.
    static func recordMismatches(_ profile: String, _ t: TestDatabase) throws -> [String] {
        let refs = try refs(t)
        var out: [String] = []
        var created = 0
        let utm = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"]
        for e in try records(profile, "expected_records.csv") {
            let table = e["object"] ?? ""
            let id = e["leadsync_id__c"] ?? ""
            guard let row = try t.rawRows("SELECT * FROM \"\(table)\" WHERE leadsync_id__c = '\(id)'").first else {
                out.append("\(table) \(id): not created")
                continue
            }
            created += 1
            func ref(_ idColumn: String, _ externalColumn: String, in object: String) -> String {
                if let sfid = row.string(idColumn), !sfid.isEmpty { return refs.bySfid[sfid]?.ref ?? sfid }
                return row.string(externalColumn) ?? ""
            }
            var actual: [String: String] = [:]
            for column in ["ownerid", "name", "lastname", "company", "phone", "leadsource", "stagename", "subject", "status", "origin"] {
                actual[column] = row.string(column) ?? ""
            }
            actual["closedate"] = String((row.string("closedate") ?? "").prefix(10))
            actual["account_ref"] = row.columns.contains("accountid") ? ref("accountid", "account__leadsync_id__c", in: "account") : ""
            actual["contact_ref"] = row.columns.contains("contactid") ? ref("contactid", "contact__leadsync_id__c", in: "contact") : ""
            for column in utm { actual[column] = row.string(column + "__c") ?? "" }
            for (column, value) in e where !["object", "leadsync_id__c"].contains(column) && (actual[column] ?? "") != value {
                out.append("\(table) \(id).\(column): expected \(value.debugDescription) got \((actual[column] ?? "").debugDescription)")
            }
        }
        let total = try ["lead", "contact", "account", "opportunity", "case"].reduce(0) { sum, table in
            sum + (Int(try t.scalar("SELECT count(*) FROM \"\(table)\" WHERE leadsync_id__c LIKE 'call:%'") ?? "0") ?? 0)
        }
        if total != created { out.append("\(total) records created, \(created) expected") }
        return out
    }

    /// Differences in UTM tags: expected_utm_updates.csv's records end with its values, every other
    /// record of the CRM files keeps its own.
    static func utmMismatches(_ profile: String, _ t: TestDatabase) throws -> [String] {
        let utm = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"]
        var expected: [String: [String: String]] = [:]
        for (table, file) in [("contact", "contacts.csv"), ("account", "accounts.csv"), ("opportunity", "opportunities.csv")] {
            for r in try records(profile, file) where r["sfid"] != nil {
                expected["\(table) \(r["sfid"] ?? "")"] = Dictionary(uniqueKeysWithValues: utm.map { ($0, r[$0 + "__c"] ?? "") })
            }
        }
        for u in try records(profile, "expected_utm_updates.csv") {
            expected["\(u["object"] ?? "") \(u["ref"] ?? "")"] = Dictionary(uniqueKeysWithValues: utm.map { ($0, u[$0] ?? "") })
        }
        var out: [String] = []
        for (table, _) in [("contact", ""), ("account", ""), ("opportunity", "")] {
            for row in try t.rawRows("SELECT sfid, \(utm.map { $0 + "__c" }.joined(separator: ", ")) FROM \(table) WHERE leadsync_id__c IS NULL") {
                let key = "\(table) \(row.string("sfid") ?? "")"
                guard let want = expected[key] else { continue }
                for column in utm where (row.string(column + "__c") ?? "") != want[column] {
                    out.append("\(key).\(column): expected \(want[column] ?? "") got \(row.string(column + "__c") ?? "")")
                }
            }
        }
        return out
    }
}
