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
}

/// Validates rows and computes what they would write (§3, §4, §7).
struct RowPreparer {
    let config: Configuration
    let phones: PhoneNormalizer
    /// Mirror column lengths per object (from the mirror where it says, else Salesforce's).
    let maxLengths: [TargetObject: [String: Int]]

    func prepare(_ row: ClaimedRow) -> PreparedRow {
        let target = TargetObject(rawValue: MatchKeys.trim(row["target_object"] ?? "").lowercased()) ?? config.defaultTarget
        let email = MatchKeys.trim(row["email"] ?? "")
        var phoneKeys: [String] = []
        var e164: [String: String] = [:]
        for column in ["phone", "mobile"] {
            if let raw = row[column], let key = phones.normalize(raw).e164 {
                e164[column] = key
                if !phoneKeys.contains(key) { phoneKeys.append(key) }
            }
        }
        // Parsed only when the mapping reads a custom field: most mappings do not.
        var parsedCustomFields: [String: Any]?
        func customFields() -> [String: Any] {
            if let parsedCustomFields { return parsedCustomFields }
            let parsed = (row["custom_fields"].flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) } as? [String: Any]) ?? [:]
            parsedCustomFields = parsed
            return parsed
        }
        var values: [(column: String, value: SQLValue)] = []
        var ownerColumns = Set<String>()
        for mapping in config.mapping[target] ?? [] {
            var text: String?
            switch mapping.source {
            case .owner:
                values.append((mapping.column, .null))
                ownerColumns.insert(mapping.column)
                continue
            case .column(let column):
                text = e164[column] ?? row[column].map(MatchKeys.trim)
            case .customField(let key):
                if let v = customFields()[key], !(v is NSNull) { text = MatchKeys.trim(String(describing: v)) }
            }
            if let t = text, let map = config.valueMaps[mapping.column], let mapped = map[t] ?? map[t.lowercased()] {
                text = mapped
            }
            values.append((mapping.column, text.flatMap { $0.isEmpty ? nil : $0 }.map(SQLValue.text) ?? .null))
        }
        let failure = validate(row, target: target, email: email, values: values)
        return PreparedRow(row: row, target: target, emailKey: MatchKeys.email(email), phoneKeys: phoneKeys,
                           lastNameKey: MatchKeys.lastName(row["last_name"]), failure: failure, values: values,
                           ownerColumns: ownerColumns)
    }

    /// §4: the first failing check wins.
    private func validate(_ row: ClaimedRow, target: TargetObject, email: String, values: [(column: String, value: SQLValue)]) -> RowFailure? {
        if let attempts = row["attempts"].flatMap({ Int($0) }), attempts >= config.maxAttempts {
            return RowFailure(code: "too_many_attempts",
                              message: "leadsync tried this contact \(attempts) times without success and stops retrying it (max_attempts = \(config.maxAttempts)). Correct it in the capturing app and import it again.")
        }
        if MatchKeys.trim(row["first_name"] ?? "").isEmpty && MatchKeys.trim(row["last_name"] ?? "").isEmpty {
            return RowFailure(code: "missing_name", message: "The contact has neither a first nor a last name.")
        }
        if target == .lead && MatchKeys.trim(row["company"] ?? "").isEmpty {
            return RowFailure(code: "missing_company", message: "A Lead needs a company, and the company is empty.")
        }
        if !email.isEmpty && !MatchKeys.isValidEmail(email) {
            return RowFailure(code: "invalid_email", message: "The email address is not valid: it needs one @ and a domain such as example.com.")
        }
        let lengths = maxLengths[target] ?? [:]
        for (column, value) in values {
            // A text no longer in UTF-8 bytes than allowed is no longer in code points either.
            guard let text = value.textValue, let max = lengths[column], text.utf8.count > max else { continue }
            let length = text.unicodeScalars.count
            if length > max {
                return RowFailure(code: "field_too_long",
                                  message: "\(Self.fieldName(column)) is \(length) characters long; Salesforce allows \(max).")
            }
        }
        return nil
    }

    /// A mirror column as a sales user knows the field.
    static func fieldName(_ column: String) -> String {
        let names = ["firstname": "First name", "lastname": "Last name", "mobilephone": "Mobile", "postalcode": "Postal code",
                     "mailingstreet": "Street", "mailingpostalcode": "Postal code", "mailingcity": "City",
                     "mailingcountry": "Country", "description": "Notes", "leadsource": "Lead source"]
        return names[column] ?? column.prefix(1).uppercased() + column.dropFirst()
    }
}
