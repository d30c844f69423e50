import Foundation

/// A failure a sales user can read: the code of SYNC_RULES.md §4–5 and a sentence.
public struct RowFailure: Sendable, Equatable {
    /// `missing_name`, `duplicate_email`, …
    public let code: String
    /// What happened, in words.
    public let message: String
}

/// Stage 3: a claimed row with its target, match keys, validation result and the values to write.
public struct PreparedRow: Sendable {
    /// The claimed row.
    public let row: ClaimedRow
    /// Lead or Contact (§2).
    public let target: TargetObject
    /// Email key, nil when there is no email.
    public let emailKey: String?
    /// Phone keys (E.164) of phone and mobile, without repeats.
    public let phoneKeys: [String]
    /// Last-name key.
    public let lastNameKey: String
    /// The first failing validation check (§4), nil when the row is valid.
    public let failure: RowFailure?
    /// Mirror column → value to write (mapping applied; owner filled in at write time).
    public let values: [(column: String, value: SQLValue)]
    /// Columns mapped from the resolved owner.
    public let ownerColumns: Set<String>
    /// A Contact's company key, by which it finds its Account (§10); nil without one, or when
    /// contacts get no account.
    public var companyKey: String? = nil

    /// A match key's kind as the match's parameters and `batch_key` write it: `e`, `p`.
    static let emailKind = UInt8(ascii: "e"), phoneKind = UInt8(ascii: "p")
}

extension Array where Element == PreparedRow {
    /// Every match key of the valid rows, in the order each of a batch's key lists takes them:
    /// a row's email key, then its phone keys. `body`: the row's position, the key's kind
    /// (`PreparedRow.emailKind` or `phoneKind`), the key.
    func forEachMatchKey(_ body: (Int, UInt8, String) throws -> Void) rethrows {
        for i in indices where self[i].failure == nil {
            if let email = self[i].emailKey { try body(i, PreparedRow.emailKind, email) }
            for phone in self[i].phoneKeys { try body(i, PreparedRow.phoneKind, phone) }
        }
    }

    /// The keys' hashes (`PendingKeyIndex.hash`), in `forEachMatchKey`'s order: hashed once for
    /// both the key filter and the index of pending keys.
    func matchKeyHashes() -> [UInt64] {
        var hashes: [UInt64] = []
        hashes.reserveCapacity(count * 2)
        forEachMatchKey { _, _, key in hashes.append(PendingKeyIndex.hash(key)) }
        return hashes
    }
}

/// Validates rows and computes what they would write (§3, §4, §7).
struct RowPreparer {
    let config: Configuration
    let phones: PhoneNormalizer
    /// Mirror column lengths per object (from the mirror where it says, else Salesforce's).
    let maxLengths: [TargetObject: [String: Int]]

    /// What `prepare` reads from a claim result, looked up once per result rather than by name
    /// in every row: the captured columns' positions, and per target the mapping's steps with
    /// their value maps and length limits (a million rows made some 40 string hashes each).
    struct Plan: Sendable {
        /// One mapped mirror column.
        struct Step: Sendable {
            enum Source: Sendable {
                case owner
                /// A captured column at this position; `phone` 0 or 1 when it is phone or mobile,
                /// written as its E.164 key when it has one.
                case column(Int?, phone: Int?)
                case customField(String)
            }
            let column: String
            let source: Source
            let valueMap: [String: String]?
            let maxLength: Int?
        }
        struct Target: Sendable {
            let steps: [Step]
            let ownerColumns: Set<String>
        }
        let shape: ResultColumns
        let targetObject, email, phone, mobile, firstName, lastName, company, attempts, customFields: Int?
        let lead, contact: Target

        func target(_ object: TargetObject) -> Target {
            switch object {
            case .lead: lead
            case .contact: contact
            }
        }
    }

    /// The plan for rows of `shape`.
    func plan(for shape: ResultColumns) -> Plan {
        func target(_ object: TargetObject) -> Plan.Target {
            let lengths = maxLengths[object] ?? [:]
            var owners = Set<String>()
            let steps = (config.mapping[object] ?? []).map { mapping -> Plan.Step in
                let source: Plan.Step.Source
                switch mapping.source {
                case .owner:
                    owners.insert(mapping.column)
                    source = .owner
                case .column(let column):
                    source = .column(shape.position(column), phone: column == "phone" ? 0 : column == "mobile" ? 1 : nil)
                case .customField(let key):
                    source = .customField(key)
                }
                return Plan.Step(column: mapping.column, source: source, valueMap: config.valueMaps[mapping.column],
                                 maxLength: lengths[mapping.column])
            }
            return Plan.Target(steps: steps, ownerColumns: owners)
        }
        return Plan(shape: shape, targetObject: shape.position("target_object"), email: shape.position("email"),
                    phone: shape.position("phone"), mobile: shape.position("mobile"), firstName: shape.position("first_name"),
                    lastName: shape.position("last_name"), company: shape.position("company"), attempts: shape.position("attempts"),
                    customFields: shape.position("custom_fields"), lead: target(.lead), contact: target(.contact))
    }

    /// Prepares one row (a plan of its own: for a batch, `prepare(_:plan:)`).
    func prepare(_ row: ClaimedRow) -> PreparedRow { prepare(row, plan: plan(for: row.result.shape)) }

    /// Prepares a row of the result `plan` was made for (another result's row gets its own plan).
    func prepare(_ row: ClaimedRow, plan: Plan) -> PreparedRow {
        guard plan.shape === row.result.shape else { return prepare(row) }
        let values = row.result.values
        func text(_ position: Int?) -> String? { position.flatMap { values[$0].textValue } }
        let target = TargetObject(rawValue: MatchKeys.trim(text(plan.targetObject) ?? "").lowercased()) ?? config.defaultTarget
        let email = MatchKeys.trim(text(plan.email) ?? "")
        var phoneKeys: [String] = []
        var e164: (String?, String?) = (nil, nil)
        if let raw = text(plan.phone), let key = phones.normalize(raw).e164 {
            e164.0 = key
            phoneKeys.append(key)
        }
        if let raw = text(plan.mobile), let key = phones.normalize(raw).e164 {
            e164.1 = key
            if !phoneKeys.contains(key) { phoneKeys.append(key) }
        }
        // Parsed only when the mapping reads a custom field: most mappings do not.
        var parsedCustomFields: [String: Any]?
        func customFields() -> [String: Any] {
            if let parsedCustomFields { return parsedCustomFields }
            let parsed = (text(plan.customFields).flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) } as? [String: Any]) ?? [:]
            parsedCustomFields = parsed
            return parsed
        }
        let steps = plan.target(target)
        var mapped: [(column: String, value: SQLValue)] = []
        mapped.reserveCapacity(steps.steps.count)
        for step in steps.steps {
            var value: String?
            switch step.source {
            case .owner:
                mapped.append((step.column, .null))
                continue
            case .column(let position, let phone):
                value = (phone == 0 ? e164.0 : phone == 1 ? e164.1 : nil) ?? text(position).map(MatchKeys.trim)
            case .customField(let key):
                if let v = customFields()[key], !(v is NSNull) { value = MatchKeys.trim(String(describing: v)) }
            }
            if let t = value, let map = step.valueMap, let mappedValue = map[t] ?? map[t.lowercased()] {
                value = mappedValue
            }
            mapped.append((step.column, value.flatMap { $0.isEmpty ? nil : $0 }.map(SQLValue.text) ?? .null))
        }
        let lastName = text(plan.lastName)
        let failure = validate(plan, text, target: target, email: email, lastName: lastName, values: mapped, steps: steps.steps)
        var prepared = PreparedRow(row: row, target: target, emailKey: MatchKeys.email(email), phoneKeys: phoneKeys,
                                   lastNameKey: MatchKeys.lastName(lastName), failure: failure, values: mapped,
                                   ownerColumns: steps.ownerColumns)
        if target == .contact && config.contactAccount != .none {
            prepared.companyKey = CompanyKey.key(text(plan.company), legalForms: config.accountLegalForms)
        }
        return prepared
    }

    /// §4: the first failing check wins. `values[i]` was mapped by `steps[i]`.
    private func validate(_ plan: Plan, _ text: (Int?) -> String?, target: TargetObject, email: String, lastName: String?,
                          values: [(column: String, value: SQLValue)], steps: [Plan.Step]) -> RowFailure? {
        if let attempts = text(plan.attempts).flatMap({ Int($0) }), attempts >= config.maxAttempts {
            return RowFailure(code: "too_many_attempts",
                              message: "leadsync tried this contact \(attempts) times without success and stops retrying it (max_attempts = \(config.maxAttempts)). Correct it in the capturing app and import it again.")
        }
        if MatchKeys.trim(text(plan.firstName) ?? "").isEmpty && MatchKeys.trim(lastName ?? "").isEmpty {
            return RowFailure(code: "missing_name", message: "The contact has neither a first nor a last name.")
        }
        if target == .lead && MatchKeys.trim(text(plan.company) ?? "").isEmpty {
            return RowFailure(code: "missing_company", message: "A Lead needs a company, and the company is empty.")
        }
        if !email.isEmpty && !MatchKeys.isValidEmail(email) {
            return RowFailure(code: "invalid_email", message: "The email address is not valid: it needs one @ and a domain such as example.com.")
        }
        for (i, (column, value)) in values.enumerated() {
            // A text no longer in UTF-8 bytes than allowed is no longer in code points either.
            guard let max = steps[i].maxLength, let text = value.textValue, text.utf8.count > max else { continue }
            let length = text.unicodeScalars.count
            if length > max {
                return RowFailure(code: "field_too_long",
                                  message: "\(Self.fieldName(column)) is \(length) characters long; Salesforce allows \(max).")
            }
        }
        // A contact's company names the account it may create (§10): as long as an Account's name may be.
        if target == .contact && config.contactAccount == .matchOrCreate,
           case let length = MatchKeys.trim(text(plan.company) ?? "").unicodeScalars.count, length > Self.accountNameLength {
            return RowFailure(code: "field_too_long",
                              message: "Company is \(length) characters long; Salesforce allows \(Self.accountNameLength) for the account's name.")
        }
        return nil
    }

    /// The longest name Salesforce takes for an Account.
    static let accountNameLength = 255

    /// A mirror column as a sales user knows the field.
    static func fieldName(_ column: String) -> String {
        let names = ["firstname": "First name", "lastname": "Last name", "mobilephone": "Mobile", "postalcode": "Postal code",
                     "mailingstreet": "Street", "mailingpostalcode": "Postal code", "mailingcity": "City",
                     "mailingcountry": "Country", "description": "Notes", "leadsource": "Lead source"]
        return names[column] ?? column.prefix(1).uppercased() + column.dropFirst()
    }
}
