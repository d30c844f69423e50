import Foundation

/// The deals profile (CALL_RULES.md §9, Ringostat's scenarios mapped to Salesforce): a call from
/// a new client creates its Contact, Account and Opportunity with the ad's UTM tags; an existing
/// client's call gets tasks for the agent, the responsible manager (the open opportunity's owner,
/// else the contact's) or the top manager as §9's table says, on its open opportunity (one is
/// created for an inbound call when it has none); empty UTM tags of the contact, its open
/// opportunity and its account are filled from the call.
struct DealsPlanner {
    let config: CallsConfig
    let wait: CallWaitRule
    let preparer: CallPreparer
    let owners: OwnerResolver

    static let utmColumns = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"]
    /// The mirror's UTM columns, in `utmColumns`' order, last in each layout.
    static let utmMirrorColumns = utmColumns.map { $0 + "__c" }
    static let accountLayout = RecordLayout("account", ["name", "ownerid", "leadsync_id__c"] + utmMirrorColumns)
    static let contactLayout = RecordLayout("contact", ["lastname", "phone", "leadsource", "ownerid", "leadsync_id__c", "account__leadsync_id__c"]
                                                       + utmMirrorColumns)
    static let opportunityLayout = RecordLayout("opportunity", ["name", "stagename", "ownerid", "leadsource", "closedate", "isclosed", "iswon",
                                                               "leadsync_id__c", "contactid", "contact__leadsync_id__c", "accountid",
                                                               "account__leadsync_id__c"] + utmMirrorColumns)

    /// A task of the table: its owner, whether open, its subject (nil: §7's).
    private struct PlannedTask {
        let owner: String
        let open: Bool
        var subject: String? = nil
    }

    /// What a batch knows of a contact: its record, owner, account and open (or reused) opportunity.
    private struct Client {
        let contact: RecordRef
        let owner: String?
        var account: RecordRef?
        var opportunity: RecordRef?
        var opportunityOwner: String?
        /// A closed opportunity reused (`if_no_previous`): the responsible is the contact's owner.
        var reused = false
    }

    func plan(_ calls: [PreparedCall], matches: [RecordRef?], owners eventOwners: [(sfid: String, source: String)?], on db: any Database) throws -> CallPlan {
        var plan = CallPlan()
        plan.owners = eventOwners
        var states = try MirrorStates.load(matches.compactMap { $0 }, on: db)
        let context = try Context.load(matches, states: states, on: db)
        states.add(context.opportunityRows, table: "opportunity")
        states.add(context.accountRows, table: "account")
        var clients: [RecordRef: Client] = [:]
        var createdByNumber: [String: RecordRef] = [:]
        /// Records whose UTM tags are no longer empty (filled in this batch).
        var filled = Set<RecordRef>()
        for (i, call) in calls.enumerated() {
            if let failure = call.failure { plan.outcomes.append(.failed(failure, record: nil)); continue }
            if let skip = call.skip { plan.outcomes.append(.skipped(skip)); continue }
            guard let type = call.type, let number = call.number, let text = call.task else {
                plan.outcomes.append(.skipped(Self.unknownNumber))
                continue
            }
            let agent = owners.activeUser(call.row["agent_email"])
            let utm = utmValues(call)
            let inbound = [.inboundAnswered, .missed, .voicemail].contains(type)
            var tasks: [PlannedTask]
            var client: Client
            if let contact = matches[i] ?? createdByNumber[number] {
                client = clients[contact] ?? context.client(contact, states: states)
                if client.opportunity == nil && inbound {
                    if config.createOpportunity == .ifNoPrevious, let closed = context.latestClosed(for: contact, states: states) {
                        client.opportunity = closed
                        client.reused = true
                    } else {
                        let owner = client.owner ?? self.owners.fallbackSfid
                        client.opportunity = plan.create(opportunity(call, number: number, owner: owner, utm: utm, contact: states[contact],
                                                                     account: client.account.flatMap { states[$0] }))
                        client.opportunityOwner = owner
                    }
                }
                tasks = existingClientTasks(type, agent: agent, responsible: responsible(client), agentText: text.agent)
            } else if inbound {
                let owner = type == .inboundAnswered ? (agent ?? topManager) : topManager
                client = createClient(call, number: number, owner: owner, utm: utm, plan: &plan)
                createdByNumber[number] = client.contact
                tasks = type == .inboundAnswered && agent != nil ? [PlannedTask(owner: owner, open: false)]
                    : [PlannedTask(owner: topManager, open: true, subject: type == .inboundAnswered ? "Call answered by an unknown employee: \(text.agent)" : nil)]
            } else {
                plan.outcomes.append(.skipped(Self.unknownNumber))
                continue
            }
            clients[client.contact] = client
            let refs = [client.contact] + (client.opportunity.map { [$0] } ?? [])
            switch wait.verdict(refs, states: states, waitingSince: call.row.waitingSince) {
            case .rejected(let failure), .notSynced(let failure): plan.outcomes.append(.failed(failure, record: client.contact))
            case .waiting(let since): plan.outcomes.append(.waiting(record: client.contact, since: since))
            case .ready:
                for (k, task) in tasks.enumerated() {
                    let due = task.open ? preparer.localDate(text.startedAt.addingTimeInterval(Double(config.missedTaskDueHours) * 3600)) : text.activityDate
                    plan.tasks.append(ActivityPlanner.task(call, text, externalID: call.row.externalID, number: k + 1, who: states[client.contact]?.sfid,
                                                           what: client.opportunity.flatMap { states[$0]?.sfid }, owner: task.owner,
                                                           status: task.open ? "Not Started" : "Completed", activityDate: due,
                                                           subject: task.subject ?? text.subject))
                }
                fillUTM(utm, client: client, states: states, filled: &filled, plan: &plan)
                plan.outcomes.append(.logged(record: client.contact, tasks: tasks.count))
            }
        }
        return plan
    }

    static let unknownNumber = RowFailure(code: "unknown_number", message: "No CRM contact has this number, and this kind of call creates none.")

    private var topManager: String { config.topManager.flatMap { owners.activeUser($0) } ?? owners.fallbackSfid }

    /// The responsible manager (§9), an active user, else the top manager.
    private func responsible(_ client: Client) -> String {
        let candidate = client.reused ? client.owner : (client.opportunityOwner ?? client.owner)
        return candidate.flatMap { owners.isActive(sfid: $0) ? $0 : nil } ?? topManager
    }

    /// §9's table for an existing client.
    private func existingClientTasks(_ type: CallType, agent: String?, responsible: String, agentText: String) -> [PlannedTask] {
        switch type {
        case .inboundAnswered:
            guard let agent else { return [PlannedTask(owner: topManager, open: true, subject: "Call answered by an unknown employee: \(agentText)")] }
            return agent == responsible ? [PlannedTask(owner: agent, open: false)]
                : [PlannedTask(owner: agent, open: false), PlannedTask(owner: responsible, open: true, subject: "Check the call answered by \(agentText)")]
        case .missed, .voicemail: return [PlannedTask(owner: responsible, open: true)]
        case .outboundAnswered:
            return agent == responsible ? [PlannedTask(owner: responsible, open: false)] : [PlannedTask(owner: responsible, open: false, subject: "Call by \(agentText)")]
        case .outboundUnanswered, .sms: return [PlannedTask(owner: agent ?? topManager, open: false)]
        }
    }

    /// A new client's Contact, Account and Opportunity (§9), referring to each other by external id.
    private func createClient(_ call: PreparedCall, number: String, owner: String, utm: [SQLValue], plan: inout CallPlan) -> Client {
        let external = SQLValue.text("call:" + call.row.externalID)
        let account = plan.create(NewRecord(Self.accountLayout, ["name": .text(number), "ownerid": .text(owner), "leadsync_id__c": external], utm))
        let contact = plan.create(NewRecord(Self.contactLayout, [
            "lastname": .text(number), "phone": .text(number), "leadsource": .text("Phone"), "ownerid": .text(owner),
            "leadsync_id__c": external, "account__leadsync_id__c": external], utm, key: (number, CRMKeyIndex.priority(of: .contact))))
        let opportunity = plan.create(opportunity(call, number: number, owner: owner, utm: utm, newClient: external))
        return Client(contact: contact, owner: owner, account: account, opportunity: opportunity, opportunityOwner: owner)
    }

    /// An opportunity with the call's UTM tags for an existing contact (its mirror row's state,
    /// and its account's when it has one), or for a new client (`newClient`, the external id its
    /// contact and account are created with).
    private func opportunity(_ call: PreparedCall, number: String, owner: String, utm: [SQLValue], contact: MirrorState? = nil,
                             account: MirrorState? = nil, newClient: SQLValue? = nil) -> NewRecord {
        /// A record's sfid, else its external id (until Heroku Connect has synced it).
        func keys(_ state: MirrorState?) -> (sfid: SQLValue, external: SQLValue) {
            if let newClient { return (.null, newClient) }
            return state?.sfid.map { (.text($0), .null) } ?? (.null, .optional(state?.leadsyncID))
        }
        let contactKeys = keys(contact), accountKeys = keys(account)
        return NewRecord(Self.opportunityLayout, [
            "name": .text("Call " + number), "stagename": .text(config.opportunityStage), "ownerid": .text(owner), "leadsource": .text("Phone"),
            "closedate": .text(preparer.localDate(call.task?.startedAt ?? Date(), plusDays: 30)), "isclosed": .integer(0), "iswon": .integer(0),
            "leadsync_id__c": .text("call:" + call.row.externalID), "contactid": contactKeys.sfid, "contact__leadsync_id__c": contactKeys.external,
            "accountid": accountKeys.sfid, "account__leadsync_id__c": accountKeys.external,
        ], utm)
    }

    /// The call's UTM tags in `utmColumns`' order, empty ones NULL.
    private func utmValues(_ call: PreparedCall) -> [SQLValue] {
        Self.utmColumns.map { column in
            let value = MatchKeys.trim(call.row[column] ?? "")
            return value.isEmpty ? SQLValue.null : .text(value)
        }
    }

    /// Fills the empty UTM tags of the client's contact, open opportunity (not a reused closed
    /// one) and account from a logged call that has any (§9); records of this batch are filled
    /// in place.
    private func fillUTM(_ utm: [SQLValue], client: Client, states: MirrorStates, filled: inout Set<RecordRef>, plan: inout CallPlan) {
        guard utm.contains(where: { $0 != .null }) else { return }
        for ref in [client.contact, client.reused ? nil : client.opportunity, client.account].compactMap({ $0 }) {
            switch ref {
            case .created(let k):
                guard Self.utmMirrorColumns.allSatisfy({ (plan.records[k][$0].textValue ?? "").isEmpty }) else { continue }
                for (column, value) in zip(Self.utmMirrorColumns, utm) { plan.records[k][column] = value }
            case .existing(let table, let id):
                guard !filled.contains(ref), let row = states[ref]?.row,
                      Self.utmMirrorColumns.allSatisfy({ (row.string($0) ?? "").isEmpty }) else { continue }
                filled.insert(ref)
                plan.updates.append((table, id, Dictionary(uniqueKeysWithValues: zip(Self.utmMirrorColumns, utm))))
            }
        }
    }

    /// The mirror's opportunities and accounts of the batch's matched contacts.
    private struct Context {
        var opportunityRows: [Row] = []
        var accountRows: [Row] = []
        /// Open and closed opportunities per contact (by sfid, by external id): (id, owner, stamp).
        var open: [String: (id: Int64, owner: String?, stamp: String)] = [:]
        var closed: [String: (id: Int64, stamp: String)] = [:]
        var accountsByKey: [String: Int64] = [:]

        static func load(_ matches: [RecordRef?], states: MirrorStates, on db: any Database) throws -> Context {
            var out = Context()
            var sfids = Set<String>(), externals = Set<String>(), accountSfids = Set<String>(), accountExternals = Set<String>()
            for case let ref? in matches {
                guard let state = states[ref] else { continue }
                if let sfid = state.sfid { sfids.insert(sfid) }
                if let external = state.leadsyncID { externals.insert(external) }
                if let sfid = state.row?.string("accountid") { accountSfids.insert(sfid) }
                if let external = state.row?.string("account__leadsync_id__c") { accountExternals.insert(external) }
            }
            guard !sfids.isEmpty || !externals.isEmpty else { return out }
            out.opportunityRows = try db.rows("call_opportunities", ["sfids": BatchJSON.encode(strings: sfids.sorted()),
                                                                     "leadsync_ids": BatchJSON.encode(strings: externals.sorted())])
            for row in out.opportunityRows {
                guard let id = row["id"].intValue, let key = row.string("contactid") ?? row.string("contact__leadsync_id__c") else { continue }
                let stamp = row.string("systemmodstamp") ?? ""
                if isTrue(row["isclosed"]) {
                    if out.closed[key].map({ stamp != $0.stamp ? stamp > $0.stamp : id > $0.id }) ?? true { out.closed[key] = (id, stamp) }
                } else if out.open[key].map({ stamp != $0.stamp ? stamp > $0.stamp : id > $0.id }) ?? true {
                    out.open[key] = (id, row.string("ownerid"), stamp)
                }
            }
            if !accountSfids.isEmpty || !accountExternals.isEmpty {
                out.accountRows = try db.rows("call_accounts", ["sfids": BatchJSON.encode(strings: accountSfids.sorted()),
                                                                "leadsync_ids": BatchJSON.encode(strings: accountExternals.sorted())])
                for row in out.accountRows {
                    guard let id = row["id"].intValue else { continue }
                    if let sfid = row.string("sfid") { out.accountsByKey[sfid] = id }
                    if let external = row.string("leadsync_id__c") { out.accountsByKey[external] = id }
                }
            }
            return out
        }

        /// What the mirror says of a matched contact: owner, account, open opportunity.
        func client(_ contact: RecordRef, states: MirrorStates) -> Client {
            let state = states[contact]
            let keys: [String] = [state?.sfid, state?.leadsyncID].compactMap { $0 }
            let found: [(id: Int64, owner: String?, stamp: String)] = keys.compactMap { self.open[$0] }
            let open = found.max { $0.stamp != $1.stamp ? $0.stamp < $1.stamp : $0.id < $1.id }
            let accountKeys: [String] = [state?.row?.string("accountid"), state?.row?.string("account__leadsync_id__c")].compactMap { $0 }
            let account = accountKeys.compactMap { accountsByKey[$0] }.first
            return Client(contact: contact, owner: state?.owner, account: account.map { .existing(table: "account", id: $0) },
                          opportunity: open.map { .existing(table: "opportunity", id: $0.id) }, opportunityOwner: open?.owner)
        }

        /// A contact's most recent closed opportunity.
        func latestClosed(for contact: RecordRef, states: MirrorStates) -> RecordRef? {
            let state = states[contact]
            let keys: [String] = [state?.sfid, state?.leadsyncID].compactMap { $0 }
            let found: [(id: Int64, stamp: String)] = keys.compactMap { closed[$0] }
            guard let best = found.max(by: { $0.stamp != $1.stamp ? $0.stamp < $1.stamp : $0.id < $1.id }) else { return nil }
            return .existing(table: "opportunity", id: best.id)
        }
    }
}
