import Foundation

/// A mirror record a call event refers to: one the mirror holds (`existing`), or one the batch
/// creates (`created`, its place in `CallPlan.records`).
enum RecordRef: Hashable, Sendable {
    case existing(table: String, id: Int64)
    case created(Int)
}

/// A mirror row as Heroku Connect has left it (CALL_RULES.md §8).
struct MirrorState: Sendable {
    let sfid: String?
    /// Salesforce refused it: `_hc_lastop = 'FAILED'` and no sfid.
    let rejected: Bool
    /// `_hc_err`, or the FAILED `_trigger_log` entry's message.
    var message: String?
    let leadsyncID: String?
    let owner: String?
    /// A contact's account: its sfid, else its relationship external id.
    let account: String?
    let row: Row?

    /// A record this batch creates: no sfid yet.
    static let created = MirrorState(sfid: nil, rejected: false, message: nil, leadsyncID: nil, owner: nil, account: nil, row: nil)

    init(sfid: String?, rejected: Bool, message: String?, leadsyncID: String?, owner: String?, account: String?, row: Row?) {
        self.sfid = sfid
        self.rejected = rejected
        self.message = message
        self.leadsyncID = leadsyncID
        self.owner = owner
        self.account = account
        self.row = row
    }

    init(_ row: Row) {
        let sfid = row.string("sfid").flatMap { $0.isEmpty ? nil : $0 }
        self.init(sfid: sfid, rejected: sfid == nil && row.string("_hc_lastop") == "FAILED", message: row.string("_hc_err"),
                  leadsyncID: row.string("leadsync_id__c"), owner: row.string("ownerid"),
                  account: row.string("accountid") ?? row.string("account__leadsync_id__c"), row: row)
    }
}

/// The columns a planner fills in the records of one table it creates, in order: a batch's
/// records of a table load as rows without a lookup per cell.
struct RecordLayout: Sendable {
    let table: String
    let columns: [String]

    init(_ table: String, _ columns: [String]) {
        self.table = table
        self.columns = columns
    }
}

/// A record a batch creates: its mirror table and values (without id and bookkeeping) in its
/// layout's order, and the phone key later events find it by (crm_match_key's priority for it).
struct NewRecord: Sendable {
    let layout: RecordLayout
    private(set) var values: [SQLValue]
    /// The E.164 number it is keyed by, and its key priority; nil for records calls do not match
    /// (cases, opportunities).
    let key: (number: String, priority: Int)?

    /// A record of `layout` with `values` (named in the layout's order), then `rest` for the
    /// layout's remaining columns.
    init(_ layout: RecordLayout, _ values: KeyValuePairs<String, SQLValue>, _ rest: [SQLValue] = [], key: (number: String, priority: Int)? = nil) {
        assert(values.map(\.key) == Array(layout.columns.prefix(values.count)) && values.count + rest.count == layout.columns.count,
               "\(layout.table)'s values are not in its layout's order")
        self.layout = layout
        self.values = values.map(\.value) + rest
        self.key = key
    }

    var table: String { layout.table }

    /// A column's value; NULL for a column the layout does not have.
    subscript(column: String) -> SQLValue {
        get { layout.columns.firstIndex(of: column).map { values[$0] } ?? .null }
        set {
            guard let i = layout.columns.firstIndex(of: column) else { preconditionFailure("\(table) has no column \(column) in its layout") }
            values[i] = newValue
        }
    }
}

/// A task a logged event writes (§7, §9): the columns beside the bookkeeping, in `columns`' order
/// (every task has the same columns: a batch's tasks load as rows without a lookup per cell).
struct NewTask: Sendable {
    static let columns = ["whoid", "whatid", "ownerid", "subject", "status", "priority", "activitydate", "description", "tasksubtype",
                          "calltype", "calldurationinseconds", "calldisposition", "leadsync_id__c"]

    let values: [SQLValue]
    let owner: String
    let completed: Bool

    init(who: String?, what: String?, owner: String, subject: String, status: String, activityDate: String, text: PreparedCall.TaskText,
         leadsyncID: String) {
        values = [.optional(who), .optional(what), .text(owner), .text(subject), .text(status), .text("Normal"), .text(activityDate),
                  .text(text.description), .text(text.taskSubtype), .text(text.callType), .integer(Int64(text.duration)),
                  .optional(text.disposition), .text(leadsyncID)]
        self.owner = owner
        completed = status == "Completed"
    }
}

/// What a call batch writes: per event its outcome, and the records, tasks and updates behind them.
struct CallPlan: Sendable {
    enum Outcome: Sendable {
        case failed(RowFailure, record: RecordRef?)
        case skipped(RowFailure)
        case waiting(record: RecordRef, since: Date)
        case logged(record: RecordRef, tasks: Int)
    }

    var outcomes: [Outcome] = []
    /// Each event's owner: (sfid, source), nil for an invalid event.
    var owners: [(sfid: String, source: String)?] = []
    var records: [NewRecord] = []
    var tasks: [NewTask] = []
    /// Updates of existing mirror rows (the deals profile's UTM tags): table, id, values.
    var updates: [(table: String, id: Int64, values: [String: SQLValue])] = []

    /// Adds a record to create; returns its reference.
    mutating func create(_ record: NewRecord) -> RecordRef {
        records.append(record)
        return .created(records.count - 1)
    }
}

/// The mirror's current rows for what a batch refers to: loaded once per batch, per table, and
/// for the records the batch creates as `MirrorState.created`.
struct MirrorStates {
    private var states: [String: [Int64: MirrorState]] = [:]

    subscript(ref: RecordRef) -> MirrorState? {
        switch ref {
        case .existing(let table, let id): return states[table]?[id]
        case .created: return .created
        }
    }

    /// Reads the rows of `refs` (existing ones) from the mirror, with Salesforce's messages for
    /// the rejected ones that have no `_hc_err`.
    static func load(_ refs: [RecordRef], on db: any Database) throws -> MirrorStates {
        var ids: [String: Set<Int64>] = [:]
        for case .existing(let table, let id) in refs { ids[table, default: []].insert(id) }
        var out = MirrorStates()
        for (table, set) in ids {
            for row in try db.rows("call_mirror_\(table)", ["ids": idArray(set.sorted())]) {
                guard let id = row["id"].intValue else { continue }
                out.states[table, default: [:]][id] = MirrorState(row)
            }
        }
        try out.readLogMessages(on: db)
        return out
    }

    /// `[1,2]`: a JSON array of ids.
    static func idArray(_ ids: [Int64]) -> SQLValue { .text("[" + ids.map(String.init).joined(separator: ",") + "]") }

    /// Adds rows read by another query (opportunities, cases) under `table`.
    mutating func add(_ rows: [Row], table: String) {
        for row in rows {
            guard let id = row["id"].intValue else { continue }
            states[table, default: [:]][id] = MirrorState(row)
        }
    }

    /// Salesforce's message for rejected rows without `_hc_err`: the latest FAILED entry of
    /// `_trigger_log`, where the table exists.
    mutating func readLogMessages(on db: any Database) throws {
        var missing: [String: [Int64]] = [:]
        for (table, rows) in states {
            for (id, state) in rows where state.rejected && MatchKeys.trim(state.message ?? "").isEmpty { missing[table, default: []].append(id) }
        }
        guard !missing.isEmpty, isTrue(try db.one("crm_table_exists", ["name": .text("_trigger_log")])?["present"] ?? .null) else { return }
        for (table, ids) in missing {
            for row in try db.rows("call_trigger_log_failed", ["table_name": .text(table), "ids": Self.idArray(ids)]) {
                guard let id = row["record_id"].intValue else { continue }
                states[table]?[id]?.message = row.string("sf_message")
            }
        }
    }
}

/// The outcome of an event whose task refers to `refs` (§8): written when every record has its
/// sfid; failed when Salesforce refused one; else waiting, until `max_wait_minutes` after it first
/// waited.
struct CallWaitRule {
    let maxWaitMinutes: Int
    let now: Date

    enum Verdict {
        case ready
        case rejected(RowFailure)
        case waiting(since: Date)
        case notSynced(RowFailure)
    }

    func verdict(_ refs: [RecordRef], states: MirrorStates, waitingSince: Date?) -> Verdict {
        var pending = false
        for ref in refs {
            guard let state = states[ref] else { pending = true; continue }
            if state.sfid != nil { continue }
            if state.rejected {
                return .rejected(RowFailure(code: "crm_rejected", message: Confirmations.rejection(hcError: state.message, logMessage: nil)))
            }
            pending = true
        }
        guard pending else { return .ready }
        let since = waitingSince ?? now
        if now.timeIntervalSince(since) > Double(maxWaitMinutes) * 60 {
            return .notSynced(RowFailure(code: "crm_not_synced",
                                         message: "Heroku Connect has not synced a record this call refers to for more than \(maxWaitMinutes) minutes; the task was not written."))
        }
        return .waiting(since: since)
    }
}
