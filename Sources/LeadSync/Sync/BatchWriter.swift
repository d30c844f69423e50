/// Writes a decided batch in its transaction: each exported row's owner (`OwnerResolver`, a
/// routing rule's rotation advanced), a contact's account (`AccountLinker`), the mirror rows (COPY /
/// prepared insert) with ids drawn from the mirror beforehand, every row's outcome into
/// `captured_contact` (staged in `batch_outcome`, then one update), and the new records' keys
/// (through the run's `KeyLookup`; new accounts' company keys).
struct BatchWriter {
    let db: any Database
    let owners: OwnerResolver
    /// Where the new records' keys go (the key index, or SQLite's pending keys).
    let keys: any KeyLookup
    /// Whether contacts get accounts.
    var contactAccount = ContactAccount.none
    /// The batch's number in the run (0 for the first).
    var batch = 0
    var times = PhaseTimes()

    /// The columns of `batch_outcome`, which captured_contact_write_outcome reads: the outcome,
    /// then the status and version the row was claimed with (the write's guard).
    static let outcomeColumns = ["id", "status", "error_code", "error_message", "crm_object", "crm_id", "owner_sfid", "owner_source",
                                 "routing_rule", "claimed_status", "claimed_version"]

    /// `count` new ids for `table` from the mirror's own serial (a rolled-back batch leaves a gap,
    /// as any serial does). The query returns runs of consecutive ids: each run's first id and how
    /// many (`ids`).
    func drawIDs(_ table: String, count: Int) throws -> [Int64] {
        var ids: [Int64] = []
        ids.reserveCapacity(count)
        for run in try db.rows("mirror_allocate_\(table)_ids", ["count": .integer(Int64(count))]) {
            guard let first = run["id"].intValue, let length = run["ids"].intValue, length >= 0 else {
                throw InternalError("mirror_allocate_\(table)_ids returned a row without its first id and count")
            }
            ids += first..<(first + length)
        }
        guard ids.count >= count else { throw InternalError("the mirror gave fewer \(table) ids than asked for") }
        return ids
    }

    /// Writes `rows` as `decisions` say, at `now`, for run `runID`. Throws `ClaimConflict` when a
    /// row changed since its claim (the batch is then rolled back and claimed again).
    func write(_ rows: [PreparedRow], _ decisions: [Decision], now: String, runID: Int64) throws -> BatchResult {
        // 1. Owners in processing order, then the contacts' accounts, then the mirror rows with
        // their new ids (accounts first: contacts name them).
        var rotation = try RoutingRotation(rules: owners.routing.rules, on: db)
        let rowOwners = rows.indices.map { i -> OwnerResolver.Owner? in
            switch decisions[i] {
            case .export: return owners.owner(of: rows[i], rotation: &rotation)
            case .alreadyExported: return owners.owner(assignedTo: rows[i].row.assignedTo, capturedBy: rows[i].row.capturedBy)
            case .failed: return nil
            }
        }
        let exported = rows.indices.filter { if case .export = decisions[$0] { return true } else { return false } }
        let links = try times.measure("write.accounts") {
            try AccountLinker(db: db, mode: contactAccount).link(rows, exported: exported, owners: rowOwners)
        }
        var mirror = MirrorRows(rows: rows, exported: exported, owners: rowOwners, links: links, now: now,
                                falseValue: db.boolean(false), withAccounts: contactAccount != .none)
        try times.measure("write.ids") {
            for (table, count) in mirror.idCounts { mirror.assign(try drawIDs(table, count: count), to: table, rows: rows) }
        }
        let held = try times.measure("write.ids") { try heldRecords(rows, decisions) }
        try times.measure("write.mirror") {
            for (table, batch) in mirror.tables.sorted(by: { $0.key < $1.key }) {
                try db.bulkLoad(table: table, columns: batch.columns, rows: batch.rows)
            }
        }
        // 2. Every row's outcome.
        var result = BatchResult()
        var outcomes: [[SQLValue]] = []
        outcomes.reserveCapacity(rows.count)
        for i in rows.indices {
            let outcome = try self.outcome(rows, i, decisions[i], owner: rowOwners[i], mirror: mirror, held: held, now: now)
            outcomes.append([.integer(rows[i].row.id), .text(outcome.status), .optional(outcome.errorCode), .optional(outcome.errorMessage),
                             .optional(outcome.crmObject), outcome.crmID.map { .integer($0) } ?? .null, .optional(outcome.ownerSfid),
                             .optional(outcome.ownerSource), .optional(outcome.routingRule), rows[i].row.claimedStatus, rows[i].row.claimedVersion])
            result.add(outcome)
        }
        try times.measure("write.outcome") {
            try db.run("batch_outcome_stage", [:])
            try db.run("batch_outcome_clear", [:])
            try db.bulkLoad(table: "batch_outcome", columns: Self.outcomeColumns, rows: outcomes)
            let written = try db.run("captured_contact_write_outcome", ["now": .text(now), "run_id": .integer(runID)]).affected
            if written != rows.count { throw ClaimConflict(changed: rows.count - written) }
            try rotation.write(on: db)
        }
        // 3. The new records' keys, so later batches and runs (and processes beside this one)
        // match them without waiting for the next refresh.
        try times.measure("write.keys") {
            try keys.add(WrittenKeys(rows: rows, ids: mirror.ids, writtenAt: now), batch: batch, on: db)
            let accountKeys = zip(links.created, mirror.accountIDs).map { account, id -> [SQLValue] in
                [.integer(id), .null, .text(account.externalID), .text(account.key), .text(now)]
            }
            if !accountKeys.isEmpty {
                try db.bulkLoad(table: "crm_account_key", columns: CRMKeyIndex.companyKeyColumns, rows: accountKeys)
            }
        }
        return result
    }

    /// One row's outcome (SYNC_RULES.md §8), as the update writes it and the report shows it.
    private func outcome(_ rows: [PreparedRow], _ i: Int, _ decision: Decision, owner: OwnerResolver.Owner?, mirror: MirrorRows,
                         held: [TargetObject: [Int64: String]], now: String) throws -> ReportRow {
        switch decision {
        case .export:
            guard let id = mirror.ids[i], let owner else { throw InternalError("row \(rows[i].row.id) was given no mirror id or owner") }
            return ReportRow(captured: rows[i].row, status: "exported", crmObject: rows[i].target.rawValue, crmID: id,
                             crmRecord: rows[i].row.externalID, ownerSfid: owner.sfid, ownerSource: owner.source, routingRule: owner.rule,
                             exportedAt: now)
        case .alreadyExported(let object, let id):
            guard let owner else { throw InternalError("row \(rows[i].row.id) was given no owner") }
            return ReportRow(captured: rows[i].row, status: "exported", crmObject: object.rawValue, crmID: id, crmRecord: held[object]?[id],
                             ownerSfid: owner.sfid, ownerSource: owner.source, exportedAt: now)
        case .failed(let failure, let object, let crmID, let ref, let record):
            // A duplicate of an earlier row of this batch points at that row's new record.
            return ReportRow(captured: rows[i].row, status: "failed", errorCode: failure.code, errorMessage: failure.message, crmObject: object,
                             crmID: crmID ?? ref.flatMap { mirror.newIDs[$0] }, crmRecord: record)
        }
    }

    /// How the report names the records the mirror already held for rows exported before (by
    /// Salesforce id, else the external id): looked up once per batch.
    private func heldRecords(_ rows: [PreparedRow], _ decisions: [Decision]) throws -> [TargetObject: [Int64: String]] {
        var names: [TargetObject: [Int64: String]] = [:]
        for object in TargetObject.allCases {
            var held: [[SQLValue]] = []
            for i in rows.indices {
                if case .alreadyExported(object, let id) = decisions[i] { held.append([.integer(id)]) }
            }
            guard !held.isEmpty else { continue }
            for record in try db.rows("mirror_records_\(object.rawValue)", ["ids": BatchJSON.encode(held)]) {
                if let id = record["id"].intValue, let name = record.string("record") { names[object, default: [:]][id] = name }
            }
        }
        return names
    }
}

/// A batch whose rows another writer changed between its claim and its write (SQLite, where a
/// batch claimed ahead holds no lock on its rows): it is rolled back and claimed again.
struct ClaimConflict: Error, CustomStringConvertible {
    /// Rows no longer as claimed.
    let changed: Int
    var description: String { "\(changed) rows changed since their batch was claimed" }
}

/// The mirror rows of a batch to COPY, by table, with each exported row's new id: the new accounts
/// of its contacts, its contacts (naming their accounts) and its leads.
struct MirrorRows {
    /// The rows to write, by table, with their column list; the id (column 0) set by `assign`.
    private(set) var tables: [String: (columns: [String], rows: [[SQLValue]])] = [:]
    /// Each batch row's new record id, nil for rows not exported.
    private(set) var ids: [Int64?]
    /// New record id by external id (a duplicate of an earlier row of the batch points at it).
    private(set) var newIDs: [String: Int64] = [:]
    /// The new accounts' ids, in `Links.created`'s order.
    private(set) var accountIDs: [Int64] = []
    /// The batch row behind each mirror row, by table, in the same order (for `account`, the
    /// new account's place in `Links.created`).
    private var rowIndexes: [String: [Int]] = [:]

    init(rows batch: [PreparedRow], exported: [Int], owners: [OwnerResolver.Owner?], links: AccountLinker.Links, now: String,
         falseValue: SQLValue, withAccounts: Bool) {
        ids = [Int64?](repeating: nil, count: batch.count)
        let bookkeeping: [SQLValue] = [.text("PENDING"), falseValue, .text(now), .text(now)]
        for (k, account) in links.created.enumerated() {
            if tables["account"] == nil {
                tables["account"] = (["id"] + AccountLinker.columns.map(\.column) + ["ownerid", "leadsync_id__c", "ispersonaccount"]
                                     + MappingCheck.bookkeeping, [])
            }
            tables["account"]?.rows.append([.null] + AccountLinker.values(of: account, rows: batch, isPerson: falseValue) + bookkeeping)
            rowIndexes["account", default: []].append(k)
        }
        // A target's rows all carry the columns its mapping gives, in its order: the column list
        // and where the owner goes are worked out from its first row.
        var ownerPositions: [String: [Int]] = [:]
        // Rows are read in place (batch[i]), not copied: a copy of each row cost more than the work.
        for i in exported {
            guard let owner = owners[i] else { continue }
            let table = batch[i].target.rawValue
            let account = withAccounts && batch[i].target == .contact
            if tables[table] == nil {
                tables[table] = (["id"] + batch[i].values.map(\.column) + (account ? ["accountid", "account__leadsync_id__c"] : [])
                                 + MappingCheck.bookkeeping, [])
                ownerPositions[table] = batch[i].values.indices.filter { batch[i].ownerColumns.contains(batch[i].values[$0].column) }.map { $0 + 1 }
            }
            var values: [SQLValue] = []
            values.reserveCapacity(batch[i].values.count + 7)
            values.append(.null)
            for (_, value) in batch[i].values { values.append(value) }
            for position in ownerPositions[table] ?? [] { values[position] = .text(owner.sfid) }
            if account {
                let reference = links.references[i]
                values += [.optional(reference?.accountID), .optional(reference?.externalID)]
            }
            values += bookkeeping
            tables[table]?.rows.append(values)
            rowIndexes[table, default: []].append(i)
        }
    }

    /// How many new ids each table needs.
    var idCounts: [(String, Int)] { rowIndexes.map { ($0.key, $0.value.count) }.sorted { $0.0 < $1.0 } }

    /// Gives `table`'s rows their new ids (`drawn`, at least as many, in the rows' order).
    mutating func assign(_ drawn: [Int64], to table: String, rows batch: [PreparedRow]) {
        guard let indexes = rowIndexes[table], var group = tables.removeValue(forKey: table) else { return }
        // Taken out of the dictionary while set, so that each row is changed in place.
        for (k, i) in indexes.enumerated() {
            group.rows[k][0] = .integer(drawn[k])
            if table == "account" {
                accountIDs.append(drawn[k])
            } else {
                ids[i] = drawn[k]
                newIDs[batch[i].row.externalID] = drawn[k]
            }
        }
        tables[table] = group
    }
}
