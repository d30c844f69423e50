/// The records a batch has just written: its rows, the id of the record each exported row was
/// written as (nil for the rest), and the time they were written at (their `systemmodstamp`).
/// The rows' own keys are the keys of those records.
struct WrittenKeys: Sendable {
    let rows: [PreparedRow]
    let ids: [Int64?]
    let writtenAt: String
}

/// A batch's valid rows by match key, built on the claim's thread, so that catching the batch up
/// on the records written since its match is one lookup per record key. A key maps to its first
/// row; `next` chains the rows sharing it (no array per key).
struct BatchKeyIndex: Sendable {
    private var emails: [String: Int] = [:]
    private var phones: [String: Int] = [:]
    /// Entry j: a row, and the entry of the next row with the same key (-1 at the end).
    private var entries: [(row: Int, next: Int)] = []

    /// The index of `rows` (positions in `rows`).
    init(_ rows: [PreparedRow]) {
        emails.reserveCapacity(rows.count)
        phones.reserveCapacity(rows.count)
        entries.reserveCapacity(rows.count * 2)
        rows.forEachMatchKey { i, kind, key in
            if kind == PreparedRow.emailKind { Self.add(i, key, to: &emails, &entries) } else { Self.add(i, key, to: &phones, &entries) }
        }
    }

    private static func add(_ row: Int, _ key: String, to map: inout [String: Int], _ entries: inout [(row: Int, next: Int)]) {
        entries.append((row, map[key] ?? -1))
        map[key] = entries.count - 1
    }

    private func forEachRow(_ key: String, in map: [String: Int], _ body: (Int) -> Void) {
        var j = map[key] ?? -1
        while j >= 0 {
            body(entries[j].row)
            j = entries[j].next
        }
    }

    /// Adds to `matches` what batch_match would return for `written`'s records: a candidate per
    /// row key equal to a record key (same kind), same person for email or when the surnames
    /// agree, exported in this run, kept when it ranks best in its group. `systemmodstamp`: the
    /// records' as the engine returns it from `crm_match_key`, which the ranking compares.
    func catchUp(on written: WrittenKeys, systemmodstamp: String, rows: [PreparedRow], matches: inout [Int64: [CRMMatch]]) {
        // The written rows are read in place (`written.rows[r]`): a copy of each row was most of
        // this loop's time.
        for r in written.rows.indices {
            guard let id = written.ids[r] else { continue }
            let target = written.rows[r].target
            func add(_ kind: String, _ i: Int, samePerson: Bool) {
                let candidate = CRMMatch(kind: kind, object: target.rawValue, crmID: id, sfid: nil, leadsyncID: written.rows[r].row.externalID,
                                         samePerson: samePerson, inRun: true, priority: CRMKeyIndex.priority(of: target),
                                         systemmodstamp: systemmodstamp)
                CRMMatch.keepBest(candidate, in: &matches[rows[i].row.id, default: []])
            }
            if let email = written.rows[r].emailKey {
                forEachRow(email, in: emails) { add("e", $0, samePerson: true) }
            }
            for phone in written.rows[r].phoneKeys {
                forEachRow(phone, in: phones) { add("p", $0, samePerson: rows[$0].lastNameKey == written.rows[r].lastNameKey) }
            }
        }
    }
}
