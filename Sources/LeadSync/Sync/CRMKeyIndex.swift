import Foundation

/// Before any batch: brings the CRM's keys up to date with the mirror: people's email and phone
/// keys (`crm_match_key`), and, when contacts get accounts, business accounts' company keys
/// (`crm_account_key`, SYNC_RULES.md §10). Only rows changed since the last refresh are read
/// (keyset pages in `(systemmodstamp, id)` order), so a warm run reads almost nothing; keys of
/// deleted rows go.
public struct CRMKeyIndex {
    /// The mirror objects whose people are matched, with their priority (§5).
    static let objects: [(name: String, priority: Int)] = [("contact", 1), ("lead", 2), ("account", 3)]
    /// The priority of a business account's keys: its phone, which calls match (CALL_RULES.md §4)
    /// and captured contacts do not (their match takes priorities below it).
    static let businessAccountPriority = 4

    /// The priority of a mirror object's records (§5).
    static func priority(of object: TargetObject) -> Int {
        objects.first { $0.name == object.rawValue }?.priority ?? objects.count
    }

    /// The count of changes to the key indexes as `db`'s open transaction or snapshot sees it
    /// (`batch_clock.keys_changed`, advanced by triggers on every write into them, migration 014):
    /// a match or filter taken at a lower count may lack keys this read sees.
    static func changes(on db: any Database) throws -> Int64 {
        try db.one("batch_clock_read")?["keys_changed"].intValue ?? 0
    }

    /// The same count, read with every other writer of the key index kept out until the
    /// transaction ends (the clock's row locked; SQLite's write lock is held already): the count
    /// after this transaction's own key writes, less this one, is those writes alone.
    static func lockedChanges(on db: any Database) throws -> Int64 {
        try db.one("batch_clock_lock")?["keys_changed"].intValue ?? 0
    }
    /// Rows read and keyed per page, unless a run says otherwise.
    static let defaultPageSize = 20_000

    let db: any Database
    let phones: PhoneNormalizer
    var times = PhaseTimes()
    /// Rows read and keyed per page.
    var pageSize = defaultPageSize
    /// The legal forms company keys are made with; nil when contacts get no accounts (no company
    /// keys are kept).
    var legalForms: [String]?

    /// What one pass of the refresh keys, each with its own watermark.
    enum KeySource: Sendable {
        /// People's email and phone keys of one mirror object, with its priority (§5).
        case people(object: String, priority: Int)
        /// Business accounts' company keys, made with these legal forms.
        case companies(legalForms: [String])

        /// Its row in `crm_key_watermark`, and its queries' suffix (`crm_changed_<name>`, `crm_key_prune_<name>`).
        var name: String {
            switch self {
            case .people(let object, _): return object
            case .companies: return "account_company"
            }
        }

        /// The mirror table it reads.
        var mirrorTable: String {
            switch self {
            case .people(let object, _): return object
            case .companies: return "account"
            }
        }

        /// The keys of a page of its changed rows.
        func keyRows(_ rows: [Row], phones: PhoneNormalizer) -> [[SQLValue]] {
            switch self {
            case .people(let object, let priority): return CRMKeyIndex.keyRows(for: rows, object: object, priority: priority, phones: phones)
            case .companies(let forms): return CRMKeyIndex.companyKeyRows(for: rows, legalForms: forms)
            }
        }

        /// Drops the keys of the records `ids` (a page about to be keyed again).
        func deleteKeys(ids: String, on db: any Database) throws {
            switch self {
            case .people(let object, _): try db.run("crm_key_delete_records", ["crm_object": .text(object), "ids": .text(ids)])
            case .companies: try db.run("crm_account_key_delete_records", ["ids": .text(ids)])
            }
        }

        /// Loads key rows.
        func load(_ rows: [[SQLValue]], on db: any Database) throws {
            switch self {
            case .people: try db.bulkLoad(table: "crm_match_key", columns: CRMKeyIndex.keyColumns, rows: rows)
            case .companies:
                try db.bulkLoad(table: "crm_account_key", columns: CRMKeyIndex.companyKeyColumns, rows: rows)
            }
        }
    }

    /// What a refresh did.
    public struct Stats: Sendable {
        /// Mirror rows read and (re)keyed.
        public var recordsRead = 0
        /// Changed mirror rows whose keys were already current (written by a batch), left as they were.
        public var recordsCurrent = 0
        /// Key rows dropped because their mirror row is gone.
        public var pruned = 0
    }

    /// Refreshes inside the caller's transaction (which must be open), under the refresh lock.
    /// A table without its loaded mark holds no trustworthy keys (the first run, or a crash
    /// emptied the unlogged table on PostgreSQL): the watermarks are forgotten and the whole
    /// mirror read again, then the table marked loaded. Such a full load builds the indexes once
    /// afterwards, not row by row (the cold run's largest cost), if the role owns the table;
    /// another role loads into the indexed table. (A mark, not emptiness: a CRM without any email
    /// or phone leaves the table empty, and was read again on every run.)
    func refresh() throws -> Stats {
        var stats = Stats()
        try db.run("advisory_lock", ["lock_id": .integer(JobLock.crmKeyRefresh.rawValue)])
        let state = try db.one("crm_match_key_state")
        let full = isTrue(state?["empty"] ?? .null)
        if full {
            try db.run("crm_key_watermark_reset", [:])
            try db.run("crm_match_key_clear", [:])
            try db.run("crm_account_key_clear", [:])
        }
        if let legalForms {
            // Keys made with other legal forms are made again, from the whole account table.
            let forms = legalForms.joined(separator: ",")
            if try db.one("crm_account_key_state_get")?.string("legal_forms") != forms {
                try db.run("crm_key_watermark_forget", ["crm_object": "account_company"])
                try db.run("crm_account_key_clear", [:])
                try db.run("crm_account_key_state_set", ["legal_forms": .text(forms)])
            }
        }
        let bulk = full && isTrue(state?["owned"] ?? .null)
        if bulk {
            try times.measure("refresh.write") {
                for index in Self.indexes { try db.run("crm_match_key_drop_\(index)_index", [:]) }
            }
        }
        var sources = Self.objects.map { KeySource.people(object: $0.name, priority: $0.priority) }
        if let legalForms { sources.append(.companies(legalForms: legalForms)) }
        for source in sources { try refresh(source, full: full, stats: &stats) }
        if full { try db.run("crm_match_key_mark_loaded", [:]) }
        if bulk {
            try times.measure("refresh.index") {
                try db.buildingIndexes {
                    for index in Self.indexes { try db.run("crm_match_key_create_\(index)_index", [:]) }
                }
                try db.run("crm_match_key_analyze", [:])
            }
        }
        return stats
    }

    /// Reads `source`'s rows changed since its watermark a page at a time, keys them, writes the
    /// keys and moves the watermark; then prunes deleted rows.
    private func refresh(_ source: KeySource, full: Bool, stats: inout Stats) throws {
        let object = source.name
        let mark = try db.one("crm_key_watermark_get", ["crm_object": .text(object)])
        var afterTS = mark?.string("systemmodstamp") ?? "1970-01-01T00:00:00.000Z"
        var afterID = Int64(mark?.int("last_id") ?? 0)
        var moved = false
        while true {
            let rows = try times.measure("refresh.read") {
                try db.rows("crm_changed_\(object)", ["after_ts": .text(afterTS), "after_id": .integer(afterID),
                                                      "limit": .integer(Int64(pageSize)), "skip_keyed": .integer(full ? 0 : 1)])
            }
            guard let last = rows.last else { break }
            // Records whose keys crm_match_key holds for this very version (mostly those a batch
            // has just written) keep them; only the others are keyed again. A full load asks
            // nothing about `keyed`: every record is stale.
            let keyed = full ? nil : last.shape.position("keyed")
            let stale = keyed.map { keyed in rows.filter { !isTrue($0.value(at: keyed)) } } ?? rows
            stats.recordsCurrent += rows.count - stale.count
            if !stale.isEmpty {
                let keys = times.measure("refresh.key") { source.keyRows(stale, phones: phones) }
                try times.measure("refresh.write") {
                    // Without a watermark, or in a full load, nothing was keyed for these records yet.
                    if mark != nil && !full {
                        try source.deleteKeys(ids: stale.map { $0["id"].textValue ?? "0" }.joined(separator: ","), on: db)
                    }
                    try source.load(keys, on: db)
                }
            }
            stats.recordsRead += stale.count
            afterTS = last.string("systemmodstamp") ?? afterTS
            afterID = last["id"].intValue ?? afterID
            moved = true
            if rows.count < pageSize { break }
        }
        if moved {
            try db.run("crm_key_watermark_set", ["crm_object": .text(object), "systemmodstamp": .text(afterTS), "last_id": .integer(afterID)])
        }
        stats.pruned += try times.measure("refresh.prune") { try prune(source, firstRefresh: mark == nil) }
    }

    /// Drops the keys of `object` rows deleted outright from the mirror (not flagged isdeleted),
    /// but only when the table lost rows since the last look: rows now = rows then + rows above
    /// the highest id then - rows deleted. The count is an index scan; the anti-join it saves
    /// reads every key (9.5 s at 2.5M CRM rows). Mirror ids only grow (Heroku Connect's serial).
    /// On an object's first refresh every key was just read from the mirror: nothing to prune.
    private func prune(_ source: KeySource, firstRefresh: Bool) throws -> Int {
        let object = source.name
        let state = try db.one("crm_key_prune_state_get", ["crm_object": .text(object)])
        let before = state?.int("mirror_rows")
        let beforeMaxID = state?.int("mirror_max_id")
        guard let now = try db.one("crm_mirror_rows_\(source.mirrorTable)", ["after_id": .integer(Int64(beforeMaxID ?? 0))]) else { return 0 }
        let rows = now.int("mirror_rows") ?? 0
        var pruned = 0
        let nothingDeleted = before.map { $0 + (now.int("rows_above") ?? 0) <= rows } ?? false
        if !firstRefresh && !nothingDeleted {
            pruned = try db.run("crm_key_prune_\(object)", [:]).affected
        }
        try db.run("crm_key_prune_state_set", ["crm_object": .text(object), "mirror_rows": .integer(Int64(rows)),
                                               "mirror_max_id": .integer(Int64(now.int("mirror_max_id") ?? 0))])
        return pruned
    }

    /// The key rows of one page.
    static func keyRows(for rows: [Row], object: String, priority: Int, phones: PhoneNormalizer) -> [[SQLValue]] {
        guard let first = rows.first else { return [] }
        // A page is one result: its columns are found once, not by name in every row (nine
        // lookups a row, each hashing the name: a twelfth of a cold run's client CPU).
        let columns = PageColumns(first.shape)
        return rows.map { keyRow(for: $0, columns: columns, object: object, priority: priority, phones: phones) }
            .compactMap { $0 }
    }

    /// Where a page's columns (`crm_changed_*`, `crm_full_*`) are.
    struct PageColumns: Sendable {
        let id, sfid, leadsyncID, email, phone, mobile, lastname, live, business, systemmodstamp: Int?

        init(_ shape: ResultColumns) {
            id = shape.position("id")
            sfid = shape.position("sfid")
            leadsyncID = shape.position("leadsync_id")
            email = shape.position("email")
            phone = shape.position("phone")
            mobile = shape.position("mobile")
            lastname = shape.position("lastname")
            live = shape.position("live")
            business = shape.position("business")
            systemmodstamp = shape.position("systemmodstamp")
        }
    }

    /// A live record's key row (none for a deleted one, or one without email and phone).
    static func keyRow(for row: Row, columns c: PageColumns, object: String, priority: Int, phones: PhoneNormalizer) -> [SQLValue]? {
        guard isTrue(row.value(at: c.live)) else { return nil }
        // Phone first, mobile second when it differs; mobile first when there is no phone key.
        let phone = row.value(at: c.phone).textValue.flatMap { phones.normalize($0).e164 }
        var mobile = row.value(at: c.mobile).textValue.flatMap { phones.normalize($0).e164 }
        if mobile == phone { mobile = nil }
        return keyRow(object: object, id: row.value(at: c.id), sfid: row.value(at: c.sfid), leadsyncID: row.value(at: c.leadsyncID),
                      emailKey: MatchKeys.email(row.value(at: c.email).textValue), phone: phone ?? mobile, phone2: phone == nil ? nil : mobile,
                      lastNameKey: MatchKeys.lastName(row.value(at: c.lastname).textValue),
                      priority: isTrue(row.value(at: c.business)) ? businessAccountPriority : priority,
                      systemmodstamp: row.value(at: c.systemmodstamp))
    }

    /// The indexes a full load drops and builds again (crm_match_key_drop_* / _create_*): the
    /// record index, then one per key column. The record index comes first: on PostgreSQL its
    /// build records the table's row count, by which a hash index's build sizes its buckets;
    /// built first with no count yet, the email index took 3.8 s instead of 2.7 s (2.5M keys).
    static let indexes = ["record", "email", "phone", "phone2"]

    /// A page of changed accounts' company key rows (`companyKeyColumns`): a live business account
    /// with a name gets one; every other row none (its keys were dropped with the page's).
    static func companyKeyRows(for rows: [Row], legalForms: [String]) -> [[SQLValue]] {
        guard let first = rows.first else { return [] }
        let columns = PageColumns(first.shape)
        let name = first.shape.position("name")
        return rows.map { row -> [SQLValue]? in
            guard isTrue(row.value(at: columns.live)), let key = CompanyKey.key(row.value(at: name).textValue, legalForms: legalForms) else { return nil }
            return [row.value(at: columns.id), row.value(at: columns.sfid), row.value(at: columns.leadsyncID), .text(key),
                    row.value(at: columns.systemmodstamp)]
        }.compactMap { $0 }
    }

    /// `crm_account_key`'s columns.
    static let companyKeyColumns = ["crm_id", "sfid", "leadsync_id", "company_key", "systemmodstamp"]

    /// `crm_match_key`'s columns, as `keyRow` fills them.
    static let keyColumns = ["crm_object", "crm_id", "sfid", "leadsync_id", "email_key", "phone_key", "phone2_key", "lastname_key", "priority",
                             "systemmodstamp"]

    /// One record's key row (`keyColumns`), or none when it has no key: its email key and its
    /// one or two phone keys (phone, mobile; `phone2` only when it differs from `phone`), one
    /// row per record (migration 009). The refresh keys mirror rows with it; a batch keys the
    /// records it has just written.
    static func keyRow(object: String, id: SQLValue, sfid: SQLValue, leadsyncID: SQLValue, emailKey: String?, phone: String?, phone2: String?,
                       lastNameKey: String, priority: Int, systemmodstamp: SQLValue) -> [SQLValue]? {
        guard emailKey != nil || phone != nil else { return nil }
        return [.text(object), id, sfid, leadsyncID, .optional(emailKey), .optional(phone), .optional(phone2), .text(lastNameKey),
                .integer(Int64(priority)), systemmodstamp]
    }
}

/// A boolean as either engine returns it (`t`/`f` text on PostgreSQL, 0/1 on SQLite).
func isTrue(_ value: SQLValue) -> Bool {
    switch value {
    case .integer(let i): return i != 0
    case .text(let s): return s == "t" || s == "true" || s == "1"
    case .real(let d): return d != 0
    case .null: return false
    }
}
