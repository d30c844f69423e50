import CSV
import Foundation

/// What an import did.
public struct ImportSummary: Sendable, Equatable {
    /// External ids seen for the first time.
    public var new = 0
    /// Pending rows that took the file's changed values.
    public var updated = 0
    /// Rows left as they were: exported or failed already, or pending with the same values.
    public var unchanged = 0
    /// Lines whose external id appears again later in the same file (the later line wins).
    public var repeatedInFile = 0

    /// `12 new, 3 updated, 40 left alone`.
    public var description: String {
        var s = "\(new) new, \(updated) updated, \(unchanged) left alone"
        if repeatedInFile > 0 { s += " (\(repeatedInFile) lines repeated an external_id of a later line and were skipped)" }
        return s
    }
}

/// A file `import` refuses, naming the line and the problem; nothing of the file was imported.
public struct ImportError: Error, CustomStringConvertible, Sendable {
    /// The file's path.
    public let file: String
    /// 1-based physical line where the record starts.
    public let line: Int
    /// What is wrong with it.
    public let problem: String
    /// `contacts.csv line 7: missing external_id (nothing was imported)`.
    public var description: String { "\(file) line \(line): \(problem) (nothing was imported)" }
}

/// A staging table `import` and `import-calls` load: its columns (the file's header names) and
/// how each field is checked and stored.
public struct StagingTable: Sendable {
    /// `captured_contact` or `call_event`; its import queries are `<name>_import_*`.
    public let name: String
    /// Columns a file may carry.
    public let columns: [String]
    /// Columns every record must have a value in (besides `external_id`).
    let required: [String]
    /// A field's stored value, or an `ImportError` naming the problem (the caller adds the line).
    let check: @Sendable (_ column: String, _ value: String) throws -> SQLValue

    /// Captured contacts (SCHEMA.md).
    public static let capturedContacts = StagingTable(name: "captured_contact", columns: [
        "external_id", "source", "captured_at", "captured_by", "assigned_to", "target_object", "salutation", "first_name", "last_name",
        "title", "department", "company", "email", "phone", "mobile", "website", "street", "postal_code", "city",
        "country", "notes", "custom_fields",
    ], required: []) { column, value in
        switch column {
        case "captured_at": return try timestamp(column, value)
        case "target_object":
            let target = value.trimmingCharacters(in: .whitespaces).lowercased()
            guard target.isEmpty || TargetObject(rawValue: target) != nil else { throw FieldProblem("target_object must be lead, contact or empty") }
            return .text(target)
        case "custom_fields" where !value.trimmingCharacters(in: .whitespaces).isEmpty:
            guard (try? JSONSerialization.jsonObject(with: Data(value.utf8))) is [String: Any] else {
                throw FieldProblem("custom_fields is not a JSON object")
            }
            return .text(value)
        default: return .text(value)
        }
    }

    /// Call events (SCHEMA.md "Added for calls"): `started_at` is required, the durations whole
    /// numbers (a negative one imports, and the run fails the event as `invalid_call`).
    public static let callEvents = StagingTable(name: "call_event", columns: [
        "external_id", "source", "channel", "direction", "outcome", "started_at", "duration_seconds", "wait_seconds", "agent_email",
        "client_number", "line_number", "recording_url", "comments", "tags", "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content",
    ], required: ["started_at", "direction"]) { column, value in
        switch column {
        case "started_at": return try timestamp(column, value)
        case "duration_seconds", "wait_seconds":
            let number = value.trimmingCharacters(in: .whitespaces)
            if number.isEmpty { return .null }
            guard let seconds = Int32(number) else { throw FieldProblem("\(column) \"\(number.prefix(40))\" is not a whole number of seconds") }
            return .text(String(seconds))
        default: return .text(value)
        }
    }

    /// An ISO-8601 timestamp stored in the job's format (UTC); NULL when empty. A time without a
    /// zone is UTC.
    static func timestamp(_ column: String, _ value: String) throws -> SQLValue {
        guard !value.trimmingCharacters(in: .whitespaces).isEmpty else { return .null }
        guard let date = Timestamp.parse(value) else { throw FieldProblem("\(column) \"\(value.prefix(40))\" is not an ISO-8601 timestamp") }
        return .text(Timestamp.format(date))
    }
}

/// A field's problem, which the importer turns into an `ImportError` naming the line.
struct FieldProblem: Error {
    let problem: String
    init(_ problem: String) { self.problem = problem }
}

/// Loads an RFC 4180 CSV file into a staging table (captured contacts, call events) as pending
/// rows, all or nothing.
public struct CSVImporter {
    /// Columns a captured contacts file may carry (header names = `captured_contact` columns).
    public static let columns = StagingTable.capturedContacts.columns

    let db: any Database
    let table: StagingTable

    /// An importer writing to `db`'s `table`.
    public init(db: any Database, table: StagingTable = .capturedContacts) {
        self.db = db
        self.table = table
    }

    /// Checks the whole file, then loads it in one transaction: COPY into a staging table on
    /// PostgreSQL (a prepared insert on SQLite), counted and applied with set-based SQL.
    public func importFile(path: String, now: Date = Date()) throws -> ImportSummary {
        let (rows, repeated) = try Self.parse(try InputFile.read(path), file: path, table: table)
        let staged = rows.map { row in [SQLValue.integer(Int64(row.line))] + row.values }
        let name = table.name
        return try db.transaction(immediate: true) {
            try db.run("\(name)_import_stage", [:])
            try db.run("\(name)_import_clear", [:])
            try db.bulkLoad(table: "\(name)_import", columns: ["line"] + table.columns, rows: staged)
            try db.run("\(name)_import_classify", [:])
            guard let counts = try db.one("\(name)_import_count") else {
                throw InternalError("\(name)_import_count returned no row")
            }
            let params: [String: SQLValue] = ["now": .text(Timestamp.format(now))]
            // What the statements did, not what the classification expected: a row a run
            // processed meanwhile is left alone, and a new id another import took is not new.
            let updated = try db.run("\(name)_import_update", params).affected
            let inserted = try db.run("\(name)_import_insert", params).affected
            let staged = ["new_rows", "updated_rows", "unchanged_rows"].reduce(0) { $0 + (counts.int($1) ?? 0) }
            return ImportSummary(new: inserted, updated: updated, unchanged: staged - inserted - updated, repeatedInFile: repeated)
        }
    }

    /// One checked record: its line and the values for `columns` (NULL where the file has no column).
    struct Record {
        let line: Int
        let values: [SQLValue]
    }

    /// Checks bytes, header and every record; returns the records (last one per external id wins)
    /// and how many earlier duplicates were dropped.
    static func parse(_ data: Data, file: String, table: StagingTable = .capturedContacts) throws -> ([Record], Int) {
        let columns = table.columns
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        // Invalid UTF-8 and NUL bytes are found per physical line, so the error can name it.
        var line = 1
        var lineStart = 0
        for (i, b) in bytes.enumerated() {
            if b == 0 { throw ImportError(file: file, line: line, problem: "contains a NUL byte") }
            if b == 0x0A || i == bytes.count - 1 {
                let end = b == 0x0A ? i : i + 1
                if String(validating: bytes[lineStart..<end], as: UTF8.self) == nil {
                    throw ImportError(file: file, line: line, problem: "is not valid UTF-8 text")
                }
                line += 1
                lineStart = i + 1
            }
        }
        if let line = InputFile.unterminatedQuote(in: bytes) {
            throw ImportError(file: file, line: line, problem: "unterminated quoted field (a \" opens a field that never closes)")
        }
        let text = String(decoding: bytes, as: UTF8.self)
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ImportError(file: file, line: 1, problem: "the file is empty; expected a header line")
        }
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true)
        } catch {
            throw ImportError(file: file, line: 1, problem: "cannot read the header line")
        }
        let header = (reader.headerRow ?? []).map { $0.trimmingCharacters(in: .whitespaces) }
        for (i, name) in header.enumerated() {
            guard columns.contains(name) else {
                throw ImportError(file: file, line: 1, problem: "unknown column \"\(name)\" (known: \(columns.joined(separator: ", ")))")
            }
            if header[..<i].contains(name) { throw ImportError(file: file, line: 1, problem: "column \"\(name)\" appears twice") }
        }
        guard let idIndex = header.firstIndex(of: "external_id") else {
            throw ImportError(file: file, line: 1, problem: "the header has no external_id column")
        }
        for column in table.required where !header.contains(column) {
            throw ImportError(file: file, line: 1, problem: "the header has no \(column) column")
        }
        let positions = columns.map { header.firstIndex(of: $0) }
        var records: [Record] = []
        var recordLine = 2 + newlines(in: reader.headerRow ?? [])
        var lastIndexByID: [String: Int] = [:]
        while let fields = reader.next() {
            let start = recordLine
            recordLine += 1 + newlines(in: fields)
            if fields.count == 1, fields[0].isEmpty { continue }  // a blank line
            guard fields.count == header.count else {
                throw ImportError(file: file, line: start, problem: "has \(fields.count) fields, the header has \(header.count)")
            }
            let externalID = fields[idIndex].trimmingCharacters(in: .whitespacesAndNewlines)
            guard !externalID.isEmpty else { throw ImportError(file: file, line: start, problem: "missing external_id") }
            var values: [SQLValue] = []
            values.reserveCapacity(columns.count)
            for (column, position) in zip(columns, positions) {
                guard let position else { values.append(.null); continue }
                if column == "external_id" { values.append(.text(externalID)); continue }
                do {
                    values.append(try table.check(column, fields[position]))
                } catch let error as FieldProblem {
                    throw ImportError(file: file, line: start, problem: error.problem)
                }
            }
            for column in table.required {
                guard let i = columns.firstIndex(of: column), !(values[i].textValue ?? "").trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw ImportError(file: file, line: start, problem: "missing \(column)")
                }
            }
            if let earlier = lastIndexByID[externalID] { records[earlier] = Record(line: -1, values: []) }
            lastIndexByID[externalID] = records.count
            records.append(Record(line: start, values: values))
        }
        let kept = records.filter { $0.line > 0 }
        return (kept, records.count - kept.count)
    }

    private static func newlines(in fields: [String]) -> Int {
        fields.reduce(0) { total, field in
            total + field.unicodeScalars.reduce(0) { $0 + ($1 == "\n" ? 1 : 0) }
        }
    }
}
