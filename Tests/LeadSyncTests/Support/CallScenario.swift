import Foundation
import Synchronization
@testable import LeadSync

/// A small CRM and a few call events for one call rule's test, loaded through the CLI's loaders
/// (load-crm, import-calls) and run in-process on a fixed clock.
struct CallScenario {
    let t: TestDatabase
    var users = "sfid,email,name,isactive\n005000000000000999,admin@example.com,Integration Admin,true\n"
        + "005000000000000001,agent@example.com,Agent One,true\n005000000000000002,gone@example.com,Former Agent,false\n"
        + "005000000000000003,boss@example.com,Top Manager,true\n005000000000000004,other@example.com,Agent Two,true\n"
    var leads = "sfid,lastname,company,phone,mobilephone,ownerid,isconverted,isdeleted,systemmodstamp\n"
    var contacts = "sfid,lastname,phone,mobilephone,accountid,ownerid,isdeleted,systemmodstamp,utm_source__c\n"
    var accounts = "sfid,name,phone,personmobilephone,ispersonaccount,ownerid,isdeleted,systemmodstamp,utm_source__c\n"
    var opportunities = "sfid,name,contactid,accountid,isclosed,ownerid,isdeleted,systemmodstamp,utm_source__c\n"
    var cases = "sfid,contactid,subject,isclosed,ownerid,isdeleted,systemmodstamp\n"
    var events = "external_id,source,channel,direction,outcome,started_at,duration_seconds,wait_seconds,agent_email,client_number,comments,tags,utm_source\n"
    var config = "fallback_owner = \"admin@example.com\"\n"
    var calls = "[calls]\n"
    /// Monday 2026-03-16 12:00 UTC (13:00 in Berlin).
    static let now = Timestamp.parse("2026-03-16T12:00:00Z") ?? Date()

    init(_ t: TestDatabase) { self.t = t }

    mutating func lead(_ sfid: String, phone: String, converted: Bool = false, deleted: Bool = false, stamp: String = "2026-01-01T00:00:00Z") {
        leads += "\(sfid),Lead \(sfid.suffix(3)),ACME,\(phone),,005000000000000004,\(converted),\(deleted),\(stamp)\n"
    }

    mutating func contact(_ sfid: String, phone: String = "", mobile: String = "", account: String = "", owner: String = "005000000000000004",
                          deleted: Bool = false, stamp: String = "2026-01-01T00:00:00Z", utm: String = "") {
        contacts += "\(sfid),Contact \(sfid.suffix(3)),\(phone),\(mobile),\(account),\(owner),\(deleted),\(stamp),\(utm)\n"
    }

    mutating func account(_ sfid: String, phone: String, person: Bool = false, stamp: String = "2026-01-01T00:00:00Z", utm: String = "") {
        accounts += "\(sfid),Account \(sfid.suffix(3)),\(person ? "" : phone),\(person ? phone : ""),\(person),005000000000000004,false,\(stamp),\(utm)\n"
    }

    mutating func opportunity(_ sfid: String, contact: String, closed: Bool = false, owner: String = "005000000000000004",
                              stamp: String = "2026-01-01T00:00:00Z", utm: String = "") {
        opportunities += "\(sfid),Deal \(sfid.suffix(3)),\(contact),,\(closed),\(owner),false,\(stamp),\(utm)\n"
    }

    mutating func openCase(_ sfid: String, contact: String, stamp: String = "2026-01-01T00:00:00Z") {
        cases += "\(sfid),\(contact),Question,false,005000000000000004,false,\(stamp)\n"
    }

    /// An event; `at` is ISO-8601 (default an hour before `now`).
    mutating func call(_ id: String, _ direction: String = "inbound", _ outcome: String = "answered", channel: String = "call",
                       at: String = "2026-03-16T11:00:00Z", duration: Int = 60, wait: Int = 5, agent: String = "agent@example.com",
                       number: String = "+49 30 1234567", comments: String = "", tags: String = "", utm: String = "") {
        events += [id, "aircall", channel, direction, outcome, at, String(duration), String(wait), agent, number, comments, tags, utm]
            .map(Scenario.csvField).joined(separator: ",") + "\n"
    }

    /// Loads everything into a freshly migrated database; returns it and the configuration.
    func load() throws -> (any Database, Configuration) {
        let db = try t.migrated()
        let dir = t.directory.appendingPathComponent("crm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in [("users.csv", users), ("leads.csv", leads), ("contacts.csv", contacts), ("accounts.csv", accounts),
                             ("opportunities.csv", opportunities), ("cases.csv", cases)] {
            try Data(text.utf8).write(to: dir.appendingPathComponent(name))
        }
        _ = try CRMLoader(db: db, crmSchema: "salesforce").load(directory: dir.path)
        let file = dir.appendingPathComponent("call_events.csv")
        try Data(events.utf8).write(to: file)
        _ = try CSVImporter(db: db, table: .callEvents).importFile(path: file.path, now: CallScenario.now)
        return (db, try Configuration.parse(config + calls, file: "calls.toml"))
    }

    /// A run `minutesLater` after `now`, calls only; `configure` changes its options further.
    static func run(_ db: any Database, _ config: Configuration, minutesLater: Double = 0, settle: Int = 0,
                    configure: (inout SyncOptions) -> Void = { _ in }) throws -> SyncSummary {
        var options = SyncOptions(mode: .run)
        options.clock = { CallScenario.now.addingTimeInterval(minutesLater * 60) }
        options.settleMinutes = settle
        options.only = .calls
        configure(&options)
        return try SyncJob(db: db, config: config).run(options)
    }

    /// Runs in batches of one event while another writer (`write`) commits between the first
    /// batch and the second's turn: the second batch is claimed and matched ahead first, and the
    /// writer waits for the first batch's locks, so it commits after that batch. Returns what the
    /// writer did: ["done"], or its error.
    static func runWithAnotherWriter(_ db: any Database, _ config: Configuration, write: @escaping @Sendable () throws -> Void) throws -> [String] {
        let matchedAhead = DispatchSemaphore(value: 0)
        let otherWriter = Mutex<[String]>([])
        _ = try run(db, config) { options in
            options.batchSize = 1
            options.hooks.claimedAhead = { _, _ in
                guard otherWriter.withLock({ $0.isEmpty }) else { return }
                matchedAhead.signal()
                do {
                    try write()
                    otherWriter.withLock { $0.append("done") }
                } catch {
                    otherWriter.withLock { $0.append("\(error)") }
                }
            }
            options.hooks.beforeCommit = { batch in if batch == 0 { matchedAhead.wait() } }
        }
        return otherWriter.withLock { $0 }
    }

    /// Loads and runs once; returns each event's outcome.
    func run(settle: Int = 0, minutesLater: Double = 0) throws -> (SyncSummary, [String: Event], any Database) {
        let (db, config) = try load()
        let summary = try Self.run(db, config, minutesLater: minutesLater, settle: settle)
        return (summary, try Self.events(t), db)
    }

    /// One event's stored outcome, with its first task.
    struct Event {
        var status: String
        var code: String?
        var message: String?
        var object: String?
        var recordID: Int64?
        var owner: String?
        var ownerSource: String?
        var tasks: [[String: String]]
    }

    static func events(_ t: TestDatabase) throws -> [String: Event] {
        var tasks: [String: [[String: String]]] = [:]
        let columns = ["leadsync_id__c", "whoid", "whatid", "ownerid", "subject", "status", "priority", "activitydate", "description", "tasksubtype",
                       "calltype", "calldurationinseconds", "calldisposition"]
        for row in try t.rawRows("SELECT \(columns.joined(separator: ", ")) FROM task ORDER BY leadsync_id__c") {
            let id = row.string("leadsync_id__c") ?? ""
            let event = String(id.dropFirst(5).prefix { $0 != ":" })
            tasks[event, default: []].append(Dictionary(uniqueKeysWithValues: columns.map { ($0, row.string($0) ?? "") }))
        }
        var out: [String: Event] = [:]
        for row in try t.rawRows("SELECT external_id, status, error_code, error_message, crm_object, crm_id, owner_sfid, owner_source FROM call_event") {
            let id = row.string("external_id") ?? ""
            out[id] = Event(status: row.string("status") ?? "", code: row.string("error_code"), message: row.string("error_message"),
                            object: row.string("crm_object"), recordID: row["crm_id"].intValue, owner: row.string("owner_sfid"),
                            ownerSource: row.string("owner_source"), tasks: tasks[id] ?? [])
        }
        return out
    }
}
