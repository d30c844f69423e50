/// Checks, before any row is touched, that every column the mapping writes exists in the
/// mirror; a wrong name stops the job with the name and the columns that do exist.
struct MappingCheck {
    let db: any Database
    let config: Configuration

    /// Columns every exported row writes besides the mapping.
    static let bookkeeping = ["_hc_lastop", "isdeleted", "createddate", "systemmodstamp"]

    /// What the checks found out about the mirror's target tables.
    struct Mirror {
        /// The checked lengths per object: the mirror's own where it declares one (PostgreSQL's
        /// varchar), else Salesforce's standard field lengths.
        var lengths: [TargetObject: [String: Int]] = [:]
    }

    func verify() throws -> Mirror {
        var columns: [String: [String: Int?]] = [:]
        var mirror = Mirror()
        for row in try db.rows("crm_columns", ["crm_schema": .text(config.connection.crmSchema)]) {
            guard let table = row.string("table_name"), let column = row.string("column_name") else { continue }
            columns[table, default: [:]][column] = row.int("character_maximum_length")
        }
        var lengths: [TargetObject: [String: Int]] = [:]
        for object in TargetObject.allCases {
            guard let available = columns[object.rawValue] else {
                throw UsageError("the CRM mirror has no \(object.rawValue) table in schema \(config.connection.crmSchema) (run `leadsync migrate --crm-mirror` for a local mirror)")
            }
            let mapping = config.mapping[object] ?? []
            for name in mapping.map(\.column) + Self.bookkeeping where available[name] == nil {
                throw UsageError("mapping.\(object.rawValue): the \(object.rawValue) table has no column \"\(name)\" (it has: \(available.keys.sorted().joined(separator: ", ")))")
            }
            var objectLengths: [String: Int] = [:]
            for m in mapping {
                if let declared = available[m.column] ?? nil { objectLengths[m.column] = declared }
                else if let standard = FieldMapping.maxLengths[m.column] { objectLengths[m.column] = standard }
            }
            lengths[object] = objectLengths
        }
        mirror.lengths = lengths
        // Contacts that get accounts name them, and new accounts are written (§10).
        if config.contactAccount != .none {
            let needed = [("contact", ["accountid", "account__leadsync_id__c"]),
                          ("account", AccountLinker.columns.map(\.column) + ["ownerid", "leadsync_id__c", "ispersonaccount"] + Self.bookkeeping)]
            for (table, names) in needed {
                for name in names where columns[table]?[name] == nil {
                    throw UsageError("contact_account = \"\(config.contactAccount.rawValue)\": the \(table) table has no column \"\(name)\" (run `leadsync migrate --crm-mirror` for a local mirror, or add it to Heroku Connect's mapping)")
                }
            }
        }
        return mirror
    }
}
