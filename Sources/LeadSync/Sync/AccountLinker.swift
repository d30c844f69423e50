/// The Accounts of a batch's exported Contacts (SYNC_RULES.md §10): the live business Account with
/// the contact's company key (several: the most recent `systemmodstamp`, then the highest id), and
/// with `match_or_create`, else one new Account per key, which every later contact with that key
/// shares: of this batch, and through the company keys written with it, of later batches and of
/// other processes. A contact references an account through its `sfid` (`accountid`), or until it
/// has one through Heroku Connect's relationship external id (`account__leadsync_id__c`).
struct AccountLinker {
    let db: any Database
    let mode: ContactAccount

    /// What a contact row's account is, as its mirror row writes it: exactly one of the two.
    struct Reference: Sendable {
        var accountID: String?
        var externalID: String?
    }

    /// An account to create, from the earliest row with its key.
    struct NewAccount {
        let key: String
        let row: Int
        let ownerSfid: String

        /// `leadsync_id__c`: `account:` and the company key.
        var externalID: String { "account:" + key }
    }

    /// What a batch's contacts reference, by row, and the accounts it creates, in the order their
    /// first row comes.
    struct Links {
        var references: [Int: Reference] = [:]
        var created: [NewAccount] = []
    }

    /// The links of `rows` exported as new Contacts (`exported`), each owned by `owners[row]`.
    func link(_ rows: [PreparedRow], exported: [Int], owners: [OwnerResolver.Owner?]) throws -> Links {
        var links = Links()
        let contacts = exported.filter { rows[$0].target == .contact && rows[$0].companyKey != nil }
        guard mode != .none, !contacts.isEmpty else { return links }
        let keys = Array(Set(contacts.compactMap { rows[$0].companyKey })).sorted()
        var found: [String: Reference] = [:]
        for row in try db.rows("account_key_match", ["keys": BatchJSON.encode(strings: keys)]) {
            guard let key = row.string("company_key") else { continue }
            let sfid = row.string("sfid")
            found[key] = Reference(accountID: sfid, externalID: sfid == nil ? row.string("leadsync_id") : nil)
        }
        var created: [String: String] = [:]
        for i in contacts {
            guard let key = rows[i].companyKey else { continue }
            if let reference = found[key] {
                links.references[i] = reference
            } else if mode == .matchOrCreate, let owner = owners[i] {
                if created[key] == nil {
                    let account = NewAccount(key: key, row: i, ownerSfid: owner.sfid)
                    links.created.append(account)
                    created[key] = account.externalID
                }
                links.references[i] = Reference(accountID: nil, externalID: created[key])
            }
        }
        return links
    }

    /// The mirror columns a new account writes besides the bookkeeping, with the lengths its
    /// optional values must fit (a longer one is left out: the account is the contact's, and its
    /// name is what matters).
    static let columns: [(column: String, source: String, maxLength: Int?)] = [
        ("name", "company", nil), ("website", "website", 255), ("billingstreet", "street", 255),
        ("billingpostalcode", "postal_code", 20), ("billingcity", "city", 40), ("billingcountry", "country", 80),
    ]

    /// A new account's values for `columns` plus `ownerid`, `leadsync_id__c`, `ispersonaccount`,
    /// from its first row, trimmed, empty ones NULL.
    static func values(of account: NewAccount, rows: [PreparedRow], isPerson: SQLValue) -> [SQLValue] {
        var values: [SQLValue] = columns.map { column in
            let text = MatchKeys.trim(rows[account.row].row[column.source] ?? "")
            guard !text.isEmpty, column.maxLength.map({ text.unicodeScalars.count <= $0 }) ?? true else { return .null }
            return .text(text)
        }
        values += [.text(account.ownerSfid), .text(account.externalID), isPerson]
        return values
    }
}
