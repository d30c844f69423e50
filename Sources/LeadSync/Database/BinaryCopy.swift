/// A column's type for a load in PostgreSQL's binary COPY format (`Database.bulkLoad(…, types:)`).
/// The server reads each value as exactly its column's type: these must be the table's.
public enum CopyType: Sendable {
    case text
    case bigint
    case integer
    case smallint
    case boolean
    /// `timestamp` (without time zone).
    case timestamp

    /// The type of a column whose `information_schema.columns.data_type` is `dataType`, when the
    /// encoder writes it; nil for any other (a load with such a column goes as text).
    public init?(dataType: String) {
        switch dataType {
        case "text", "character varying": self = .text
        case "bigint": self = .bigint
        case "integer": self = .integer
        case "smallint": self = .smallint
        case "boolean": self = .boolean
        case "timestamp without time zone": self = .timestamp
        default: return nil
        }
    }

    /// The types of `columns` by name, or nil when one has none.
    static func of(_ columns: [String], in types: [String: CopyType]?) -> [CopyType]? {
        guard let types else { return nil }
        var out: [CopyType] = []
        out.reserveCapacity(columns.count)
        for column in columns {
            guard let type = types[column] else { return nil }
            out.append(type)
        }
        return out
    }
}

/// PostgreSQL's binary COPY format: each value as the server stores it, so it parses nothing. For
/// `crm_match_key` its timestamp column is what counts: the text format's timestamp parsing was
/// about a third of that table's COPY (1M rows into a table without indexes: 0.61 s text, 0.42 s
/// binary; other columns gained little: `batch_key`, all text and bigint, 0.58 against 0.54 s).
enum BinaryCopy {
    /// The whole load in binary COPY format, or nil when a value does not fit its column's type
    /// as this encoder reads it (a row of another width, text that is not a plain number or a
    /// timestamp of the form below): the load then goes as text, and the server parses, or
    /// refuses, exactly what it always did.
    static func encode(_ rows: [[SQLValue]], types: [CopyType]) -> [UInt8]? {
        var out: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00]
        out.appendBigEndian(UInt32(0))  // flags
        out.appendBigEndian(UInt32(0))  // header extension length
        out.reserveCapacity(rows.count * 24 * types.count + 32)
        // The last timestamp read: a batch's rows all carry the same time (the job's `now`, the
        // mirror's createddate and systemmodstamp), read once instead of in every row.
        var stamp: (text: String, micros: Int64)?
        for row in rows {
            guard row.count == types.count else { return nil }
            out.appendBigEndian(UInt16(types.count))
            let encoded = row.withUnsafeBufferPointer { values in
                for i in values.indices where !append(values[i], as: types[i], to: &out, stamp: &stamp) { return false }
                return true
            }
            guard encoded else { return nil }
        }
        out.appendBigEndian(UInt16(0xFFFF))  // trailer: -1
        return out
    }

    /// Appends one field (length, then value); false when `value` cannot be encoded as `type`.
    private static func append(_ value: SQLValue, as type: CopyType, to out: inout [UInt8], stamp: inout (text: String, micros: Int64)?) -> Bool {
        switch (value, type) {
        case (.null, _):
            out.appendBigEndian(UInt32(bitPattern: -1))
        case (.text(let text), .text):
            text.utf8.withByteBuffer { bytes in
                out.appendBigEndian(UInt32(bytes.count))
                out.append(contentsOf: bytes)
            }
        case (.integer(let v), .text):
            var digits: [UInt8] = []
            digits.appendDecimal(v)
            out.appendBigEndian(UInt32(digits.count))
            out.append(contentsOf: digits)
        case (.integer(let v), .bigint):
            out.appendBigEndian(UInt32(8))
            out.appendBigEndian(UInt64(bitPattern: v))
        case (.integer(let v), .integer):
            guard let v = Int32(exactly: v) else { return false }
            out.appendBigEndian(UInt32(4))
            out.appendBigEndian(UInt32(bitPattern: v))
        case (.integer(let v), .smallint):
            guard let small = Int16(exactly: v) else { return false }
            out.appendBigEndian(UInt32(2))
            out.appendBigEndian(UInt16(bitPattern: small))
        case (.integer(let v), .boolean):
            guard v == 0 || v == 1 else { return false }
            out.appendBigEndian(UInt32(1))
            out.append(UInt8(v))
        case (.text(let text), .boolean):
            // The forms the job writes; PostgreSQL's others ('yes', 'on', …) go as text.
            let value: UInt8
            switch text {
            case "true", "t": value = 1
            case "false", "f": value = 0
            default: return false
            }
            out.appendBigEndian(UInt32(1))
            out.append(value)
        case (.text(let text), .bigint):
            // PostgreSQL returns every value as text: an id read from the mirror is one.
            guard let v = Int64(text) else { return false }
            out.appendBigEndian(UInt32(8))
            out.appendBigEndian(UInt64(bitPattern: v))
        case (.text(let text), .integer):
            guard let v = Int32(text) else { return false }
            out.appendBigEndian(UInt32(4))
            out.appendBigEndian(UInt32(bitPattern: v))
        case (.text(let text), .smallint):
            guard let v = Int16(text) else { return false }
            out.appendBigEndian(UInt32(2))
            out.appendBigEndian(UInt16(bitPattern: v))
        case (.text(let text), .timestamp):
            let micros: Int64
            if let stamp, stamp.text == text {
                micros = stamp.micros
            } else {
                guard let read = text.utf8.withByteBuffer(timestampMicroseconds) else { return false }
                micros = read
                stamp = (text, read)
            }
            out.appendBigEndian(UInt32(8))
            out.appendBigEndian(UInt64(bitPattern: micros))
        default:
            return false
        }
        return true
    }

    /// Microseconds since 2000-01-01 00:00:00 (a binary `timestamp`) of `YYYY-MM-DD HH:MM:SS`, a
    /// `T` allowed for the space, with up to six digits of fraction and an optional `Z`, `+00` or
    /// `+00:00`: the forms PostgreSQL prints a `timestamp` in (DateStyle ISO) and the job writes
    /// (`Timestamp.format`). PostgreSQL ignores a zone given for a `timestamp`; any other zone, a
    /// year outside 1–9999, a date that does not exist or more digits of fraction give nil, so
    /// those go as text and the server decides as before.
    static func timestampMicroseconds(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        var s = ASCIIScanner(bytes)
        guard let year = s.number(4), s.expect(0x2D), let month = s.number(2), s.expect(0x2D), let day = s.number(2),
              s.expect(0x20) || s.expect(0x54),
              let hour = s.number(2), s.expect(0x3A), let minute = s.number(2), s.expect(0x3A), let second = s.number(2) else { return nil }
        var fraction = 0
        if s.expect(0x2E) {
            let digits = s.digitRun()
            guard (1...6).contains(digits.count) else { return nil }
            for digit in digits { fraction = fraction * 10 + Int(digit - 0x30) }
            for _ in digits.count..<6 { fraction *= 10 }
        }
        // UTC only, in the forms above: any other zone is for the server to judge.
        if s.expect(0x5A) {
        } else if s.expect(0x2B) {
            guard s.number(2) == 0 else { return nil }
            if s.expect(0x3A) { guard s.number(2) == 0 else { return nil } }
        }
        guard s.atEnd, year >= 1, (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 60 else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day) - daysFromCivil(year: 2000, month: 1, day: 1)
        return Int64(((days * 24 + hour) * 60 + minute) * 60 + second) * 1_000_000 + Int64(fraction)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

extension Array where Element == UInt8 {
    /// Appends `v` in network byte order.
    mutating func appendBigEndian<T: FixedWidthInteger & UnsignedInteger>(_ v: T) {
        Swift.withUnsafeBytes(of: v.bigEndian) { append(contentsOf: $0) }
    }
}
