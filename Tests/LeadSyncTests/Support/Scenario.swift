import Foundation
@testable import LeadSync

/// A small CRM and a few captured rows for one rule's test, loaded through the same loaders as
/// the CLI (CSV text → load-crm / import), then run in-process with a fixed clock.
struct Scenario {
    let t: TestDatabase
    var users = "sfid,email,name,isactive\n005000000000000999,admin@example.com,Integration Admin,true\n005000000000000001,rep@example.com,Rep One,true\n005000000000000002,gone@example.com,Former Rep,false\n"
    var leads = "sfid,firstname,lastname,company,email,phone,mobilephone,ownerid,isdeleted,systemmodstamp\n"
    var contacts = "sfid,firstname,lastname,email,phone,mobilephone,ownerid,isdeleted,systemmodstamp\n"
    var accounts = "sfid,name,firstname,lastname,personemail,phone,personmobilephone,ispersonaccount,isdeleted,systemmodstamp\n"
    var captured = "external_id,source,captured_at,captured_by,assigned_to,target_object,first_name,last_name,company,email,phone,mobile,title,street,postal_code,city,country,website\n"
    var config = "fallback_owner = \"admin@example.com\"\n"
    static let now = Timestamp.parse("2026-11-20T12:00:00Z") ?? Date()

    init(_ t: TestDatabase) { self.t = t }

    mutating func lead(_ sfid: String, last: String, email: String = "", phone: String = "", deleted: Bool = false, stamp: String = "2026-01-01T00:00:00Z") {
        leads += "\(sfid),Old,\(last),Old Co,\(email),\(phone),,005000000000000001,\(deleted),\(stamp)\n"
    }

    mutating func contact(_ sfid: String, last: String, email: String = "", phone: String = "", mobile: String = "", deleted: Bool = false, stamp: String = "2026-01-01T00:00:00Z") {
        contacts += "\(sfid),Old,\(last),\(email),\(phone),\(mobile),005000000000000001,\(deleted),\(stamp)\n"
    }

    mutating func personAccount(_ sfid: String, last: String, email: String = "", phone: String = "", stamp: String = "2026-01-01T00:00:00Z") {
        accounts += "\(sfid),\(last) Household,Old,\(last),\(email),\(phone),,true,false,\(stamp)\n"
    }

    /// A captured row; `minutesAgo` is before `Scenario.now`.
    mutating func capture(_ id: String, last: String, first: String = "Ann", company: String = "ACME", email: String = "", phone: String = "",
                          mobile: String = "", by: String = "rep@example.com", target: String = "", minutesAgo: Int = 60, title: String = "",
                          source: String = "webform", assignedTo: String = "", street: String = "", postalCode: String = "", city: String = "",
                          country: String = "", website: String = "") {
        let at = Timestamp.format(Scenario.now.addingTimeInterval(Double(-minutesAgo * 60)))
        captured += [id, source, at, by, assignedTo, target, first, last, company, email, phone, mobile, title, street, postalCode, city, country, website]
            .map(Self.csvField).joined(separator: ",") + "\n"
    }

    /// A CRM user.
    mutating func user(_ sfid: String, _ email: String, active: Bool = true) {
        users += "\(sfid),\(email),User \(sfid.suffix(3)),\(active)\n"
    }

    /// A business account of the mirror (`ispersonaccount` false).
    mutating func businessAccount(_ sfid: String, name: String, deleted: Bool = false, stamp: String = "2026-01-01T00:00:00Z") {
        accounts += "\(sfid),\(Self.csvField(name)),,,,,,false,\(deleted),\(stamp)\n"
    }

    /// A CSV field, quoted when it must be.
    static func csvField(_ text: String) -> String {
        text.contains { $0 == "," || $0 == "\"" || $0 == "\n" } ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }

    /// Loads everything into a freshly migrated database.
    func load() throws -> (any Database, Configuration) {
        let db = try t.migrated()
        let dir = t.directory.appendingPathComponent("crm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in [("users.csv", users), ("leads.csv", leads), ("contacts.csv", contacts), ("accounts.csv", accounts)] {
            try Data(text.utf8).write(to: dir.appendingPathComponent(name))
        }
        _ = try CRMLoader(db: db, crmSchema: "salesforce").load(directory: dir.path)
        let file = dir.appendingPathComponent("captured.csv")
        try Data(captured.utf8).write(to: file)
        _ = try CSVImporter(db: db).importFile(path: file.path, now: Scenario.now)
        return (db, try Configuration.parse(config, file: "test.toml"))
    }

    /// Imports rows captured after `load()` (CSV text with its header) into the loaded database.
    func importLater(_ csv: String, into db: any Database) throws {
        let file = t.directory.appendingPathComponent("later-\(UUID().uuidString).csv")
        try Data(csv.utf8).write(to: file)
        _ = try CSVImporter(db: db).importFile(path: file.path)
    }

    /// A run's options on the scenarios' fixed clock.
    static func options(_ mode: SyncOptions.Mode = .run) -> SyncOptions {
        var options = SyncOptions(mode: mode)
        options.clock = { Scenario.now }
        return options
    }

    /// Loads, runs once, and returns each row's outcome by external id.
    func run(_ mode: SyncOptions.Mode = .run, settle: Int? = nil, batchSize: Int? = nil, configure: (inout SyncOptions) -> Void = { _ in }) throws -> (SyncSummary, [String: Outcome]) {
        let (db, config) = try load()
        var options = Scenario.options(mode)
        options.settleMinutes = settle
        options.batchSize = batchSize
        configure(&options)
        let summary = try SyncJob(db: db, config: config).run(options)
        return (summary, try Scenario.outcomes(db))
    }

    /// One row's stored outcome.
    struct Outcome: Equatable {
        var status: String
        var code: String?
        var crmObject: String?
        var matched: String?
        var owner: String?
        var ownerSource: String?
        var message: String?
        var rule: String? = nil
    }

    static func outcomes(_ db: any Database) throws -> [String: Outcome] {
        let rows = try db.runAdHoc("""
            SELECT c.external_id, c.status, c.error_code, c.crm_object, c.owner_sfid, c.owner_source, c.error_message, c.routing_rule,
                   CASE c.crm_object
                     WHEN 'lead' THEN (SELECT COALESCE(l.sfid, l.leadsync_id__c) FROM lead l WHERE l.id = c.crm_id)
                     WHEN 'contact' THEN (SELECT COALESCE(m.sfid, m.leadsync_id__c) FROM contact m WHERE m.id = c.crm_id)
                     WHEN 'account' THEN (SELECT a.sfid FROM account a WHERE a.id = c.crm_id)
                   END AS matched
            FROM captured_contact c
            """, name: "outcomes")
        var out: [String: Outcome] = [:]
        for r in rows {
            out[r.string("external_id") ?? ""] = Outcome(status: r.string("status") ?? "", code: r.string("error_code"),
                                                        crmObject: r.string("crm_object"), matched: r.string("matched"),
                                                        owner: r.string("owner_sfid"), ownerSource: r.string("owner_source"),
                                                        message: r.string("error_message"), rule: r.string("routing_rule"))
        }
        return out
    }
}
