import Foundation

/// A CRM record one of a row's keys matched (the best per kind, surname agreement and origin).
struct CRMMatch: Sendable {
    let kind: String
    let object: String
    let crmID: Int64
    let sfid: String?
    let leadsyncID: String?
    let samePerson: Bool
    let inRun: Bool
    /// The record's object priority (§5: 1 Contact, 2 Lead, 3 Person Account).
    let priority: Int
    /// The record's systemmodstamp as the engine returns it (one format per engine, so text
    /// order is time order); nil when unknown.
    let systemmodstamp: String?

    init(kind: String, object: String, crmID: Int64, sfid: String?, leadsyncID: String?, samePerson: Bool, inRun: Bool,
         priority: Int, systemmodstamp: String?) {
        self.kind = kind
        self.object = object
        self.crmID = crmID
        self.sfid = sfid
        self.leadsyncID = leadsyncID
        self.samePerson = samePerson
        self.inRun = inRun
        self.priority = priority
        self.systemmodstamp = systemmodstamp
    }

    init(_ row: Row) {
        kind = row.string("kind") ?? ""
        object = row.string("crm_object") ?? ""
        crmID = row["crm_id"].intValue ?? 0
        sfid = row.string("sfid")
        leadsyncID = row.string("leadsync_id")
        samePerson = isTrue(row["same_person"])
        inRun = isTrue(row["in_run"])
        priority = row.int("priority") ?? Int.max
        systemmodstamp = row.string("systemmodstamp")
    }

    /// Whether this record is the better match of two in the same group: batch_match's order
    /// (lower priority number, then newer, then the higher id).
    func ranks(before other: CRMMatch) -> Bool {
        if priority != other.priority { return priority < other.priority }
        switch (systemmodstamp, other.systemmodstamp) {
        case let (mine?, theirs?) where mine != theirs: return mine > theirs
        case (.some, nil): return true
        case (nil, .some): return false
        default: return crmID > other.crmID
        }
    }

    /// Adds a candidate to a row's matches (best per kind, surname agreement and origin): it
    /// replaces the match of its group when it ranks before it.
    static func keepBest(_ candidate: CRMMatch, in matches: inout [CRMMatch]) {
        if let i = matches.firstIndex(where: { $0.kind == candidate.kind && $0.samePerson == candidate.samePerson && $0.inRun == candidate.inRun }) {
            if candidate.ranks(before: matches[i]) { matches[i] = candidate }
        } else {
            matches.append(candidate)
        }
    }
}

/// What happens to one row.
enum Decision: Sendable {
    /// Write it to the mirror.
    case export
    /// The mirror already holds a row with its external id (written before a crash, or by hand).
    case alreadyExported(object: TargetObject, id: Int64)
    /// Fail it; for duplicates, the record it duplicates: by mirror id, or for an earlier row of
    /// this batch by that row's external id (its id is drawn at write time), and `record`, how
    /// the report names it (Salesforce id, else the external id it was written with).
    case failed(RowFailure, crmObject: String?, crmID: Int64?, refExternalID: String?, record: String?)
}

/// Decides each row of a batch in processing order (SYNC_RULES.md §5): CRM email, CRM
/// phone and surname, then rows exported earlier in the run (earlier batches, then this one).
struct DuplicateDecider {
    /// The last batch's rows whose phone matched a CRM record of another surname.
    private(set) var possibleDuplicates = 0

    /// What a later row needs of an earlier exported one (not the whole row: copying rows was
    /// most of this stage's time).
    private struct Earlier {
        let externalID: String
        let target: TargetObject
        let lastNameKey: String
    }
    private var emailSeen: [String: Earlier] = [:]
    private var phoneSeen: [String: [Earlier]] = [:]

    /// Decides every row; `matches` are the CRM candidates by row id.
    mutating func decide(_ rows: [PreparedRow], matches: [Int64: [CRMMatch]]) -> [Decision] {
        emailSeen = [:]
        phoneSeen = [:]
        possibleDuplicates = 0
        // Rows are read in place (rows[i]); `rows.map { row in … }` copied each one.
        return rows.indices.map { i in
            let rowMatches = matches[rows[i].row.id] ?? []
            let decision = decide(rows, i, rowMatches)
            if case .export = decision {
                let earlier = Earlier(externalID: rows[i].row.externalID, target: rows[i].target, lastNameKey: rows[i].lastNameKey)
                if let email = rows[i].emailKey, emailSeen[email] == nil { emailSeen[email] = earlier }
                for phone in rows[i].phoneKeys { phoneSeen[phone, default: []].append(earlier) }
                if rowMatches.contains(where: { $0.kind == "p" && !$0.samePerson && !$0.inRun }) { possibleDuplicates += 1 }
            }
            return decision
        }
    }

    /// Decides `rows[i]`, read in place (passing `rows[i]` as a value copied the whole row).
    private func decide(_ rows: [PreparedRow], _ i: Int, _ matches: [CRMMatch]) -> Decision {
        if let failure = rows[i].failure { return .failed(failure, crmObject: nil, crmID: nil, refExternalID: nil, record: nil) }
        if let existing = rows[i].row.existing { return .alreadyExported(object: existing.object, id: existing.id) }
        func best(_ kind: String, inRun: Bool) -> CRMMatch? {
            matches.first { $0.kind == kind && $0.samePerson && $0.inRun == inRun }
        }
        if let m = best("e", inRun: false) { return crmDuplicate(m, code: "duplicate_email", reason: "same email") }
        if let m = best("p", inRun: false) { return crmDuplicate(m, code: "duplicate_phone", reason: "same phone and last name") }
        if let m = best("e", inRun: true) { return runDuplicate(m, code: "duplicate_email", reason: "same email") }
        if let email = rows[i].emailKey, let earlier = emailSeen[email] {
            return batchDuplicate(earlier, code: "duplicate_email", reason: "same email")
        }
        if let m = best("p", inRun: true) { return runDuplicate(m, code: "duplicate_phone", reason: "same phone and last name") }
        let lastName = rows[i].lastNameKey
        for phone in rows[i].phoneKeys {
            if let earlier = phoneSeen[phone]?.first(where: { $0.lastNameKey == lastName }) {
                return batchDuplicate(earlier, code: "duplicate_phone", reason: "same phone and last name")
            }
        }
        return .export
    }

    private func crmDuplicate(_ m: CRMMatch, code: String, reason: String) -> Decision {
        let record = m.sfid.map { "\(Self.objectName(m.object)) \($0)" }
            ?? "\(Self.objectName(m.object)) record \(m.crmID) (not yet synced to Salesforce)"
        return .failed(RowFailure(code: code, message: "Duplicate of \(record): \(reason)."), crmObject: m.object, crmID: m.crmID, refExternalID: nil, record: m.sfid ?? m.leadsyncID)
    }

    private func runDuplicate(_ m: CRMMatch, code: String, reason: String) -> Decision {
        let source = m.leadsyncID.map { " for \($0)" } ?? ""
        return .failed(RowFailure(code: code, message: "Duplicate of the \(Self.objectName(m.object)) created in this run\(source): \(reason)."),
                       crmObject: m.object, crmID: m.crmID, refExternalID: m.leadsyncID, record: m.sfid ?? m.leadsyncID)
    }

    private func batchDuplicate(_ earlier: Earlier, code: String, reason: String) -> Decision {
        .failed(RowFailure(code: code, message: "Duplicate of the \(earlier.target.displayName) created in this run for \(earlier.externalID): \(reason)."),
                crmObject: earlier.target.rawValue, crmID: nil, refExternalID: earlier.externalID, record: earlier.externalID)
    }

    /// Salesforce's name for a mirror object.
    static func objectName(_ object: String) -> String {
        switch object {
        case "contact": return "Contact"
        case "lead": return "Lead"
        case "account": return "Person Account"
        default: return object
        }
    }
}
