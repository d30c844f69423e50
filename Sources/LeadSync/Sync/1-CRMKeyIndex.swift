import Foundation

/// Stage 1, before any row: brings the CRM's match keys (`crm_match_key`) up to date with the
/// mirror. Only rows changed since the last refresh are read (keyset pages in
/// `(systemmodstamp, id)` order), so a warm run reads almost nothing; keys of deleted rows go.
public struct CRMKeyIndex {
    /// The mirror objects whose people are matched, with their priority (§5).
    static let objects: [(name: String, priority: Int)] = [("contact", 1), ("lead", 2), ("account", 3)]

    /// The priority of a mirror object's records (§5).
    static func priority(of object: TargetObject) -> Int {
        objects.first { $0.name == object.rawValue }?.priority ?? objects.count
    }
    /// Rows read and keyed per page, unless a run says otherwise.
    static let defaultPageSize = 20_000

    let db: any Database
    let phones: PhoneNormalizer
    var times = PhaseTimes()
    /// Whether keys re-read from the mirror are stamped on the batch clock (real runs; a dry run
    /// writes nothing that lasts, and must not hold the clock for its whole transaction).
    var stampsKeys = true
    /// Rows read and keyed per page.
    var pageSize = defaultPageSize
    /// A second connection a full load reads the mirror's pages on, a page ahead, while `db`
    /// writes the keys of the page before (nil: `db` reads them, one after the other).
    var reader: (any Database)?

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
    func refresh() throws -> Stats {
        var stats = Stats()
        try db.run("advisory_lock", ["lock_id": .integer(JobLock.crmKeyRefresh.rawValue)])
        // A table without its loaded mark holds no trustworthy keys (the first run, or a crash
        // emptied the unlogged table on PostgreSQL): forget the watermarks and read the whole
        // mirror again, then mark it loaded. Such a full load builds the indexes once afterwards,
        // not row by row (the cold run's largest cost), if the role owns the table; another role
        // loads into the indexed table. (A mark, not emptiness: a CRM without any email or phone
        // leaves the table empty, and was read again on every run.)
        let state = try db.one("crm_match_key_state")
        let empty = isTrue(state?["empty"] ?? .null)
        if empty {
            try db.run("crm_key_watermark_reset", [:])
            try db.run("crm_match_key_clear", [:])
        }
        let bulk = empty && isTrue(state?["owned"] ?? .null)
        if bulk {
            try times.measure("refresh.write") {
                for index in Self.indexes { try db.run("crm_match_key_drop_\(index)_index", [:]) }
            }
        }
        // Keys written after the full load are stamped on the batch clock, like a batch's: a batch
        // matched before this refresh commits then finds them in its catch-up (SyncJob). That
        // covers records re-keyed here that another process's batch has just written (their keys
        // are replaced, and lose the batch's stamp), and records new from Salesforce. The clock's
        // row stays locked until this refresh commits: batches of other processes wait that long
        // to commit. Advanced only once there is something to write.
        var stamp: SQLValue?
        func keyStamp() throws -> SQLValue {
            if let stamp { return stamp }
            let value: SQLValue = bulk || !stampsKeys ? .null : .integer(try db.one("batch_clock_advance")?["seq"].intValue ?? 0)
            stamp = value
            return value
        }
        for (object, priority) in Self.objects {
            let mark = try db.one("crm_key_watermark_get", ["crm_object": .text(object)])
            var afterTS = mark?.string("systemmodstamp") ?? "1970-01-01T00:00:00.000Z"
            var afterID = Int64(mark?.int("last_id") ?? 0)
            var moved = false
            // A page's keys are computed on other threads while this connection writes the page
            // before and reads the next: the server's work and the phone parsing overlap (a full
            // load of 2.5M records reads, keys and writes for about 7 s one after the other).
            // The page being keyed; a page is written once the next one's keying has started.
            var keying: (records: [Row], keys: Background<[[SQLValue]]>)?
            func write(_ page: (records: [Row], keys: Background<[[SQLValue]]>)?) throws {
                guard let (records, keys) = page else { return }
                let rows = times.measure("refresh.key") { keys.wait() }
                try times.measure("refresh.write") {
                    // Without a watermark, or with the table empty at the start, nothing was
                    // keyed for these records yet: nothing to remove.
                    if mark != nil && !bulk {
                        try db.run("crm_key_delete_records", ["crm_object": .text(object),
                                                              "ids": .text(records.map { $0["id"].textValue ?? "0" }.joined(separator: ","))])
                    }
                    try db.bulkLoad(table: "crm_match_key", columns: Self.keyColumns, types: Self.keyTypes, rows: rows)
                }
            }
            // Keys still being computed when a read or write fails are waited for, not left running.
            defer { _ = keying?.keys.wait() }
            // A full load reads its pages on the reader, a page ahead, while this connection
            // writes (crm_full_*, which name no job table); otherwise this connection reads them.
            let fullReader = empty ? reader.map { Unchecked($0) } : nil
            let size = Int64(pageSize)
            @Sendable func fullPage(_ reader: Unchecked<any Database>, after ts: String, _ id: Int64) -> Result<[Row], any Error> {
                Result { try reader.value.rows("crm_full_\(object)", ["after_ts": .text(ts), "after_id": .integer(id), "limit": .integer(size)]) }
            }
            var nextPage: Background<Result<[Row], any Error>>?
            // A page still being read when this ends (an error) is waited for: the reader is free again.
            defer { _ = nextPage?.wait() }
            while true {
                let rows = try times.measure("refresh.read") { () throws -> [Row] in
                    if let pending = nextPage {
                        nextPage = nil
                        return try pending.wait().get()
                    }
                    if let fullReader { return try fullPage(fullReader, after: afterTS, afterID).get() }
                    return try db.rows("crm_changed_\(object)", ["after_ts": .text(afterTS), "after_id": .integer(afterID),
                                                                 "limit": .integer(size), "skip_keyed": .integer(empty ? 0 : 1)])
                }
                guard let last = rows.last else { break }
                if let fullReader, rows.count == pageSize {
                    let (ts, id) = (last.string("systemmodstamp") ?? afterTS, last["id"].intValue ?? afterID)
                    nextPage = Background { fullPage(fullReader, after: ts, id) }
                }
                // Records whose keys crm_match_key holds for this very version (mostly those a
                // batch has just written) keep them; only the others are keyed again.
                // A full load asks nothing about `keyed`: every record is stale.
                let keyed = empty ? nil : last.shape.position("keyed")
                let stale = keyed.map { keyed in rows.filter { !isTrue($0.value(at: keyed)) } } ?? rows
                stats.recordsCurrent += rows.count - stale.count
                if !stale.isEmpty {
                    let batchSeq = try keyStamp()
                    let phones = phones
                    // This page's keying starts before the page before is written, so the two
                    // overlap (written first, the keying had waited for each write: 1.0 s of a
                    // cold 1M run's refresh). Should the write fail, the defer above waits for it.
                    let before = keying
                    keying = (stale, Background { Self.keyRows(for: stale, object: object, priority: priority, phones: phones, batchSeq: batchSeq) })
                    try write(before)
                }
                stats.recordsRead += stale.count
                afterTS = last.string("systemmodstamp") ?? afterTS
                afterID = last["id"].intValue ?? afterID
                moved = true
                if rows.count < pageSize { break }
            }
            try write(keying)
            keying = nil
            if moved {
                try db.run("crm_key_watermark_set", ["crm_object": .text(object), "systemmodstamp": .text(afterTS), "last_id": .integer(afterID)])
            }
            stats.pruned += try times.measure("refresh.prune") { try prune(object, firstRefresh: mark == nil) }
        }
        if empty { try db.run("crm_match_key_mark_loaded", [:]) }
        // The indexes hold other keys now: a run's KeyFilter built before is built again.
        if empty || stats.recordsRead > 0 { try db.run("crm_key_index_changed", [:]) }
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

    /// Drops the keys of `object` rows deleted outright from the mirror (not flagged isdeleted),
    /// but only when the table lost rows since the last look: rows now = rows then + rows above
    /// the highest id then - rows deleted. The count is an index scan; the anti-join it saves
    /// reads every key (9.5 s at 2.5M CRM rows). Mirror ids only grow (Heroku Connect's serial).
    /// On an object's first refresh every key was just read from the mirror: nothing to prune.
    private func prune(_ object: String, firstRefresh: Bool) throws -> Int {
        let state = try db.one("crm_key_prune_state_get", ["crm_object": .text(object)])
        let before = state?.int("mirror_rows")
        let beforeMaxID = state?.int("mirror_max_id")
        guard let now = try db.one("crm_mirror_rows_\(object)", ["after_id": .integer(Int64(beforeMaxID ?? 0))]) else { return 0 }
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

    /// The key rows of one page, computed on every core: parsing phone numbers is most of a cold
    /// refresh's time, and the rows are independent.
    static func keyRows(for rows: [Row], object: String, priority: Int, phones: PhoneNormalizer, batchSeq: SQLValue) -> [[SQLValue]] {
        guard let first = rows.first else { return [] }
        // A page is one result: its columns are found once, not by name in every row (nine
        // lookups a row, each hashing the name: a twelfth of a cold run's client CPU).
        let columns = PageColumns(first.shape)
        return rows.parallelMap { keyRow(for: $0, columns: columns, object: object, priority: priority, phones: phones, batchSeq: batchSeq) }
            .compactMap { $0 }
    }

    /// Where a page's columns (`crm_changed_*`, `crm_full_*`) are.
    struct PageColumns: Sendable {
        let id, sfid, leadsyncID, email, phone, mobile, lastname, live, systemmodstamp: Int?

        init(_ shape: ResultColumns) {
            id = shape.position("id")
            sfid = shape.position("sfid")
            leadsyncID = shape.position("leadsync_id")
            email = shape.position("email")
            phone = shape.position("phone")
            mobile = shape.position("mobile")
            lastname = shape.position("lastname")
            live = shape.position("live")
            systemmodstamp = shape.position("systemmodstamp")
        }
    }

    /// A live record's key row (none for a deleted one, or one without email and phone).
    static func keyRow(for row: Row, columns c: PageColumns, object: String, priority: Int, phones: PhoneNormalizer,
                       batchSeq: SQLValue) -> [SQLValue]? {
        guard isTrue(row.value(at: c.live)) else { return nil }
        // Phone first, mobile second when it differs; mobile first when there is no phone key.
        let phone = row.value(at: c.phone).textValue.flatMap { phones.normalize($0).e164 }
        var mobile = row.value(at: c.mobile).textValue.flatMap { phones.normalize($0).e164 }
        if mobile == phone { mobile = nil }
        return keyRow(object: object, id: row.value(at: c.id), sfid: row.value(at: c.sfid), leadsyncID: row.value(at: c.leadsyncID),
                      emailKey: MatchKeys.email(row.value(at: c.email).textValue), phone: phone ?? mobile, phone2: phone == nil ? nil : mobile,
                      lastNameKey: MatchKeys.lastName(row.value(at: c.lastname).textValue), priority: priority,
                      systemmodstamp: row.value(at: c.systemmodstamp), batchSeq: batchSeq)
    }

    /// The indexes a full load drops and builds again (crm_match_key_drop_* / _create_*): one
    /// per key column, and the record index.
    static let indexes = ["email", "phone", "phone2", "record"]

    /// Pending records at which a merge builds the recent level's indexes again rather than
    /// adding the keys to them one by one, and at which the recent level may be folded into the
    /// main one (see `mergePending`).
    static let rebuildAt = 100_000

    /// The key indexes of each level (migration 013): `crm_match_key_{drop,create}_<name>_index`.
    static let mainKeyIndexes = ["email", "phone", "phone2"]
    static let recentKeyIndexes = ["recent_email", "recent_phone", "recent_phone2"]

    /// Merges the pending keys (SQLite, migration 012) into the key indexes, in the caller's
    /// transaction (which holds SQLite's write lock); returns the batch clock stamp it took, at
    /// or above every key merged, or nil when nothing was pending (and on PostgreSQL, which
    /// keeps none). The stamp tells a batch matched before the merge to match again under the
    /// lock; the count of index changes it adds tells a run's KeyFilter to build itself again.
    /// The keys go into the recent level (migration 013), whose indexes are small beside the main
    /// ones: added one by one when they are few, else by dropping the recent indexes and building
    /// them again, a sort of the recent keys only. Once the recent level would hold half of all
    /// records, both levels are folded into the main indexes, all six built again, so that a
    /// record's keys are sorted anew about once each time the records double.
    /// `rebuildAt`: tests lower it to take the rebuilding paths with a few keys.
    static func mergePending(on db: any Database, rebuildAt: Int = rebuildAt) throws -> Int64? {
        guard db.engine == .sqlite else { return nil }
        let pending = try db.one("crm_match_key_pending_count")?.int("pending") ?? 0
        guard pending > 0 else { return nil }
        let seq = try db.one("batch_clock_advance")?["seq"].intValue ?? 0
        // Both counts read indexes only (the recent level's, the record index).
        let recent = try db.one("crm_match_key_recent_count")?.int("recent") ?? 0
        let records = try db.one("crm_match_key_count")?.int("records") ?? 0
        func rebuilding(_ indexes: [String], _ move: String) throws {
            for index in indexes { try db.run("crm_match_key_drop_\(index)_index", [:]) }
            try db.run(move, [:])
            try db.buildingIndexes { for index in indexes { try db.run("crm_match_key_create_\(index)_index", [:]) } }
        }
        if recent + pending >= rebuildAt && (recent + pending) * 2 > records {
            try rebuilding(mainKeyIndexes + recentKeyIndexes, "crm_match_key_fold")
        } else if pending >= rebuildAt {
            try rebuilding(recentKeyIndexes, "crm_match_key_pending_merge")
        } else {
            try db.run("crm_match_key_pending_merge", [:])
        }
        try db.run("crm_key_index_changed", [:])
        return seq
    }

    /// `crm_match_key`'s columns, as `keyRow` fills them.
    static let keyColumns = ["crm_object", "crm_id", "sfid", "leadsync_id", "email_key", "phone_key", "phone2_key", "lastname_key", "priority",
                             "systemmodstamp", "batch_seq"]
    /// Their types in `crm_match_key` (migrations 002–009), for PostgreSQL's binary COPY.
    static let keyTypes: [CopyType] = [.text, .bigint, .text, .text, .text, .text, .text, .text, .smallint, .timestamp, .bigint]
    /// The same with `pending` last (SQLite's batches, migration 012), as `keyRow(…, pending: true)` fills them.
    static let pendingKeyColumns = keyColumns + ["pending"]
    /// Their types, for the bulk load.
    static let pendingKeyTypes = keyTypes + [.smallint]

    /// One record's key row (`keyColumns`), or none when it has no key: its email key and its
    /// one or two phone keys (phone, mobile; `phone2` only when it differs from `phone`), one
    /// row per record (migration 009). The refresh keys mirror rows with it (`batchSeq` NULL in
    /// a full load, else its stamp on the batch clock); a batch keys the records it has just
    /// written, stamped with its number, and on SQLite `pending` (`pendingKeyColumns`).
    static func keyRow(object: String, id: SQLValue, sfid: SQLValue, leadsyncID: SQLValue, emailKey: String?, phone: String?, phone2: String?,
                       lastNameKey: String, priority: Int, systemmodstamp: SQLValue, batchSeq: SQLValue, pending: Bool = false) -> [SQLValue]? {
        guard emailKey != nil || phone != nil else { return nil }
        var row: [SQLValue] = [.text(object), id, sfid, leadsyncID, .optional(emailKey), .optional(phone), .optional(phone2), .text(lastNameKey),
                               .integer(Int64(priority)), systemmodstamp, batchSeq]
        if pending { row.append(.integer(1)) }
        return row
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
