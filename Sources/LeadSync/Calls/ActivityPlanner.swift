import Foundation

/// The activity profile (CALL_RULES.md §4–§8, Aircall's way): each event's task on the record its
/// number matches, or on one it creates for an unknown number; attached to the contact's open
/// Case or Opportunity when configured; written once every record it names has its sfid.
struct ActivityPlanner {
    let config: CallsConfig
    let wait: CallWaitRule
    let now: String

    /// Plans `calls` (prepared, in processing order), each matched to `matches[i]` (nil: no record
    /// has its number), owned by `owners[i]`.
    func plan(_ calls: [PreparedCall], matches: [RecordRef?], owners: [(sfid: String, source: String)?], on db: any Database) throws -> CallPlan {
        var plan = CallPlan()
        plan.owners = owners
        // 1. The record of each event: matched, created by an earlier event of the batch, or
        // created now for an unknown number.
        var records: [RecordRef?] = []
        var createdByNumber: [String: RecordRef] = [:]
        for (i, call) in calls.enumerated() {
            guard call.failure == nil, call.skip == nil, let number = call.number, let owner = owners[i] else { records.append(nil); continue }
            if let match = matches[i] ?? createdByNumber[number] {
                records.append(match)
            } else if let record = newRecord(call, number: number, owner: owner.sfid) {
                let ref = plan.create(record)
                createdByNumber[number] = ref
                records.append(ref)
            } else {
                records.append(nil)
            }
        }
        // 2. The mirror as it is now for those records, and the contacts' cases and opportunities.
        var states = try MirrorStates.load(records.compactMap { $0 }, on: db)
        let attachments = try Attachments.load(contacts: records, states: states, attachTo: config.attachTo, on: db)
        states.add(attachments.rows, table: config.attachTo == .case ? "case" : "opportunity")
        // 3. Each event's task, or why it has none yet.
        var casesByContact: [RecordRef: RecordRef] = [:]
        for (i, call) in calls.enumerated() {
            if let failure = call.failure { plan.outcomes.append(.failed(failure, record: nil)); continue }
            if let skip = call.skip { plan.outcomes.append(.skipped(skip)); continue }
            guard let record = records[i], let owner = owners[i], let task = call.task else {
                plan.outcomes.append(.skipped(RowFailure(code: "unknown_number", message: "No CRM record has this number, and unknown numbers are not logged.")))
                continue
            }
            var refs = [record]
            var what: RecordRef? = isAccount(record) ? record : nil
            if case .existing("contact", _) = record, config.attachTo != .none {
                what = attachments.latest(for: record, states: states) ?? casesByContact[record]
                if what == nil, config.attachTo == .case, config.createCase, let contact = states[record], let sfid = contact.sfid, !contact.rejected {
                    let ref = plan.create(NewRecord(Self.caseLayout, [
                        "contactid": .text(sfid), "accountid": .optional(contact.row?.string("accountid")), "subject": .text(task.subject),
                        "status": .text("New"), "origin": .text("Phone"), "ownerid": .text(owner.sfid), "isclosed": db.boolean(false),
                        "leadsync_id__c": .text("call:" + call.row.externalID),
                    ]))
                    casesByContact[record] = ref
                    what = ref
                }
                // Without its contact's sfid no case is created (§7): the event waits for the
                // contact, and the run that first sees its sfid creates the case.
            }
            if let what, what != record { refs.append(what) }
            switch wait.verdict(refs, states: states, waitingSince: call.row.waitingSince) {
            case .rejected(let failure), .notSynced(let failure): plan.outcomes.append(.failed(failure, record: record))
            case .waiting(let since): plan.outcomes.append(.waiting(record: record, since: since))
            case .ready:
                let who = isAccount(record) ? nil : states[record]?.sfid
                plan.tasks.append(Self.task(call, task, externalID: call.row.externalID, number: 1, who: who, what: what.flatMap { states[$0]?.sfid },
                                            owner: owner.sfid, status: task.status, activityDate: task.activityDate, subject: task.subject))
                plan.outcomes.append(.logged(record: record, tasks: 1))
            }
        }
        return plan
    }

    private func isAccount(_ ref: RecordRef) -> Bool {
        if case .existing("account", _) = ref { return true }
        return false
    }

    static let caseLayout = RecordLayout("case", ["contactid", "accountid", "subject", "status", "origin", "ownerid", "isclosed", "leadsync_id__c"])
    static let leadLayout = RecordLayout("lead", ["lastname", "phone", "company", "leadsource", "ownerid", "leadsync_id__c"])
    static let contactLayout = RecordLayout("contact", ["lastname", "phone", "leadsource", "ownerid", "leadsync_id__c"])
    static let accountLayout = RecordLayout("account", ["name", "phone", "ownerid", "leadsync_id__c"])

    /// The record an unknown number creates (§6), nil when it creates none.
    private func newRecord(_ call: PreparedCall, number: String, owner: String) -> NewRecord? {
        let external = SQLValue.text("call:" + call.row.externalID)
        switch config.unknownNumber {
        case .nothing: return nil
        case .lead:
            return NewRecord(Self.leadLayout, ["lastname": .text(number), "phone": .text(number), "company": .text(config.unknownCompany),
                                               "leadsource": .text("Phone"), "ownerid": .text(owner), "leadsync_id__c": external],
                             key: (number, CRMKeyIndex.priority(of: .lead)))
        case .contact:
            return NewRecord(Self.contactLayout, ["lastname": .text(number), "phone": .text(number), "leadsource": .text("Phone"),
                                                  "ownerid": .text(owner), "leadsync_id__c": external],
                             key: (number, CRMKeyIndex.priority(of: .contact)))
        case .account:
            return NewRecord(Self.accountLayout, ["name": .text(number), "phone": .text(number), "ownerid": .text(owner), "leadsync_id__c": external],
                             key: (number, CRMKeyIndex.businessAccountPriority))
        }
    }

    /// A task's columns (§7): `call:<external id>:<number>`.
    static func task(_ call: PreparedCall, _ text: PreparedCall.TaskText, externalID: String, number: Int, who: String?, what: String?,
                     owner: String, status: String, activityDate: String, subject: String) -> NewTask {
        NewTask(who: who, what: what, owner: owner, subject: subject, status: status, activityDate: activityDate, text: text,
                leadsyncID: "call:\(externalID):\(number)")
    }
}

/// The open Cases or Opportunities of the contacts a batch matched (§7): the most recent per
/// contact (newest systemmodstamp, then highest id); records the job created count as open.
struct Attachments {
    /// The rows read, for `MirrorStates`.
    var rows: [Row] = []
    /// By contact sfid, and by contact external id (an opportunity this job created that has no
    /// contactid yet), the most recent open one.
    private var bySfid: [String: (id: Int64, stamp: String)] = [:]
    private var byExternalID: [String: (id: Int64, stamp: String)] = [:]
    private var table = "opportunity"

    static func load(contacts refs: [RecordRef?], states: MirrorStates, attachTo: CallsConfig.AttachTo, on db: any Database) throws -> Attachments {
        var out = Attachments()
        guard attachTo != .none else { return out }
        var sfids = Set<String>(), externals = Set<String>()
        for case .existing("contact", let id)? in refs {
            guard let state = states[.existing(table: "contact", id: id)] else { continue }
            if let sfid = state.sfid { sfids.insert(sfid) }
            if let external = state.leadsyncID { externals.insert(external) }
        }
        guard !sfids.isEmpty || !externals.isEmpty else { return out }
        if attachTo == .case {
            out.table = "case"
            out.rows = try db.rows("call_open_cases", ["sfids": BatchJSON.encode(strings: sfids.sorted())])
        } else {
            out.rows = try db.rows("call_opportunities", ["sfids": BatchJSON.encode(strings: sfids.sorted()),
                                                          "leadsync_ids": BatchJSON.encode(strings: externals.sorted())])
                .filter { !isTrue($0["isclosed"]) }
        }
        for row in out.rows {
            guard let id = row["id"].intValue else { continue }
            let entry = (id: id, stamp: row.string("systemmodstamp") ?? "")
            func newer(_ old: (id: Int64, stamp: String)?) -> Bool {
                guard let old else { return true }
                return entry.stamp != old.stamp ? entry.stamp > old.stamp : entry.id > old.id
            }
            if let sfid = row.string("contactid") {
                if newer(out.bySfid[sfid]) { out.bySfid[sfid] = entry }
            } else if let external = row.string("contact__leadsync_id__c"), newer(out.byExternalID[external]) {
                out.byExternalID[external] = entry
            }
        }
        return out
    }

    /// The most recent open case or opportunity of `contact`.
    func latest(for contact: RecordRef, states: MirrorStates) -> RecordRef? {
        guard let state = states[contact] else { return nil }
        var found: [(id: Int64, stamp: String)] = []
        if let sfid = state.sfid, let entry = bySfid[sfid] { found.append(entry) }
        if let external = state.leadsyncID, let entry = byExternalID[external] { found.append(entry) }
        guard let best = found.max(by: { $0.stamp != $1.stamp ? $0.stamp < $1.stamp : $0.id < $1.id }) else { return nil }
        return .existing(table: table, id: best.id)
    }
}
