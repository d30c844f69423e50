import CSV
import Foundation

/// Loads CSV exports of a CRM (`users.csv`, `leads.csv`, `contacts.csv`, `accounts.csv`,
/// `opportunities.csv`, `cases.csv`) into
/// the mirror tables: for local runs, demos and tests, where no Heroku Connect fills them.
public struct CRMLoader {
    /// File name → mirror table.
    public static let files = [("users.csv", "user"), ("accounts.csv", "account"), ("leads.csv", "lead"), ("contacts.csv", "contact"),
                               ("opportunities.csv", "opportunity"), ("cases.csv", "case")]

    let db: any Database
    let crmSchema: String

    /// A loader writing to `db`'s mirror.
    public init(db: any Database, crmSchema: String) {
        self.db = db
        self.crmSchema = crmSchema
    }

    /// Loads every file of `directory` that exists, in one transaction; returns rows per table.
    public func load(directory: String) throws -> [(table: String, rows: Int)] {
        var columnsByTable: [String: [String: String]] = [:]
        for row in try db.rows("crm_columns", ["crm_schema": .text(crmSchema)]) {
            guard let table = row.string("table_name"), let column = row.string("column_name") else { continue }
            columnsByTable[table, default: [:]][column] = row.string("data_type") ?? ""
        }
        guard !columnsByTable.isEmpty else {
            throw UsageError("the CRM mirror tables do not exist: run `leadsync migrate --crm-mirror` first")
        }
        return try db.transaction(immediate: true) {
            var loaded: [(String, Int)] = []
            for (file, table) in Self.files {
                let path = (directory as NSString).appendingPathComponent(file)
                guard FileManager.default.fileExists(atPath: path) else { continue }
                let known = columnsByTable[table] ?? [:]
                let (header, rows) = try readCSV(path: path)
                for column in header where known[column] == nil {
                    throw UsageError("\(path): \(table) has no column \"\(column)\" (it has \(known.keys.sorted().joined(separator: ", ")))")
                }
                let values = rows.map { fields in
                    zip(header, fields).map { column, field -> SQLValue in
                        convert(field, type: known[column] ?? "")
                    }
                }
                try db.bulkLoad(table: table, columns: header, rows: values)
                loaded.append((table, values.count))
            }
            return loaded
        }
    }

    private func convert(_ field: String, type: String) -> SQLValue {
        if field.isEmpty { return .null }
        if type.contains("bool") || (db.engine == .sqlite && ["true", "false"].contains(field.lowercased()) && type == "integer") {
            let truthy = ["true", "t", "1", "yes"].contains(field.lowercased())
            return db.engine == .sqlite ? .integer(truthy ? 1 : 0) : .text(truthy ? "true" : "false")
        }
        if type.contains("timestamp") || (db.engine == .sqlite && type == "text" && field.count >= 19),
           let date = Timestamp.parse(field) {
            return .text(Timestamp.format(date))
        }
        return .text(field)
    }

    private func readCSV(path: String) throws -> ([String], [[String]]) {
        let data = try InputFile.read(path)
        if let line = InputFile.unterminatedQuote(in: [UInt8](data)) {
            throw UsageError("\(path) line \(line): unterminated quoted field (a \" opens a field that never closes)")
        }
        var text = String(decoding: data, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let reader = try CSVReader(string: text, hasHeaderRow: true)
        let header = (reader.headerRow ?? []).map { $0.trimmingCharacters(in: .whitespaces) }
        var rows: [[String]] = []
        var line = 1
        while let fields = reader.next() {
            line += 1
            if fields.count == 1, fields[0].isEmpty { continue }
            guard fields.count == header.count else {
                throw UsageError("\(path): record \(line) has \(fields.count) fields, the header has \(header.count)")
            }
            rows.append(fields)
        }
        return (header, rows)
    }
}
