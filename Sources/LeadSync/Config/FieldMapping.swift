import TOMLKit

/// One mirror column and where its value comes from (SYNC_RULES.md §7; changeable in
/// `[mapping.lead]` / `[mapping.contact]`).
public struct FieldMapping: Sendable, Equatable {
    /// Where a written value comes from.
    public enum Source: Sendable, Equatable {
        /// A `captured_contact` column (trimmed; phone and mobile written as E.164 when they have a key).
        case column(String)
        /// A key of the row's `custom_fields` JSON object.
        case customField(String)
        /// The resolved owner's sfid.
        case owner
    }

    /// The mirror column written.
    public let column: String
    /// Where its value comes from.
    public let source: Source

    /// Captured columns a mapping may read.
    public static let sourceColumns = [
        "external_id", "source", "captured_at", "captured_by", "salutation", "first_name", "last_name", "title",
        "department", "company", "email", "phone", "mobile", "website", "street", "postal_code", "city", "country", "notes",
    ]

    /// The default mapping of SYNC_RULES.md §7.
    public static let defaults: [TargetObject: [FieldMapping]] = {
        func m(_ pairs: [(String, String)]) -> [FieldMapping] { pairs.map { FieldMapping(column: $0.0, source: .column($0.1)) } }
        let common: [(String, String)] = [
            ("salutation", "salutation"), ("firstname", "first_name"), ("lastname", "last_name"), ("title", "title"),
        ]
        let tail: [(String, String)] = [("description", "notes"), ("leadsource", "source"), ("leadsync_id__c", "external_id")]
        let lead = m(common + [("company", "company"), ("email", "email"), ("phone", "phone"), ("mobilephone", "mobile"),
                               ("website", "website"), ("street", "street"), ("postalcode", "postal_code"), ("city", "city"),
                               ("country", "country")] + tail) + [FieldMapping(column: "ownerid", source: .owner)]
        let contact = m(common + [("department", "department"), ("email", "email"), ("phone", "phone"), ("mobilephone", "mobile"),
                                  ("mailingstreet", "street"), ("mailingpostalcode", "postal_code"), ("mailingcity", "city"),
                                  ("mailingcountry", "country")] + tail) + [FieldMapping(column: "ownerid", source: .owner)]
        return [.lead: lead, .contact: contact]
    }()

    /// Salesforce field lengths (§4 `field_too_long`), by mirror column.
    public static let maxLengths: [String: Int] = [
        "firstname": 40, "lastname": 80, "salutation": 40, "title": 128, "company": 255, "email": 80, "phone": 40,
        "mobilephone": 40, "website": 255, "street": 255, "mailingstreet": 255, "postalcode": 20, "mailingpostalcode": 20,
        "city": 40, "mailingcity": 40, "country": 80, "mailingcountry": 80, "department": 80, "description": 32000,
    ]

    /// Parses a source: a captured column, `custom_fields.KEY` or `owner`.
    static func parseSource(_ text: String) -> Source? {
        if text == "owner" { return .owner }
        if text.hasPrefix("custom_fields."), text.count > "custom_fields.".count {
            return .customField(String(text.dropFirst("custom_fields.".count)))
        }
        return sourceColumns.contains(text) ? .column(text) : nil
    }

    /// Applies `[mapping.OBJECT]`: `column = "source"` sets or adds, `column = ""` stops writing it.
    static func apply(overrides: TOMLTable, to base: [FieldMapping], object: TargetObject, reader: ConfigReader) throws -> [FieldMapping] {
        var result = base
        for column in overrides.keys.sorted() {
            let key = "mapping.\(object.rawValue).\(column)"
            let text = try reader.string(overrides[column], key)
            do { _ = try quoteIdentifier(column) } catch { throw reader.error(key, "\"\(column)\" is not a plain lower-case column name") }
            result.removeAll { $0.column == column }
            if text.isEmpty {
                guard column != "leadsync_id__c" else { throw reader.error(key, "leadsync_id__c must stay mapped: it stops a row being written twice") }
                continue
            }
            guard let source = parseSource(text) else {
                throw reader.error(key, "unknown source \"\(text)\" (available: \(sourceColumns.joined(separator: ", ")), owner, custom_fields.KEY)")
            }
            result.append(FieldMapping(column: column, source: source))
        }
        return result
    }
}
