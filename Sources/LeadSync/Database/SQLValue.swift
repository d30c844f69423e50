/// A value bound to, or read from, a SQL statement on either engine.
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    /// The value as text, the form both engines accept for any parameter.
    public var textValue: String? {
        switch self {
        case .null: return nil
        case .integer(let v): return String(v)
        case .real(let v): return String(v)
        case .text(let v): return v
        }
    }

    /// The value as an integer when it is one, or text holding one (PostgreSQL returns text).
    public var intValue: Int64? {
        switch self {
        case .null: return nil
        case .integer(let v): return v
        case .real(let v): return Int64(v)
        case .text(let v): return Int64(v)
        }
    }

    /// The value as a double when it is numeric.
    public var doubleValue: Double? {
        switch self {
        case .null: return nil
        case .integer(let v): return Double(v)
        case .real(let v): return v
        case .text(let v): return Double(v)
        }
    }

    /// `nil` when the value is NULL.
    public var isNull: Bool { if case .null = self { return true } else { return false } }
}

extension SQLValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByNilLiteral {
    /// A text literal.
    public init(stringLiteral value: String) { self = .text(value) }
    /// An integer literal.
    public init(integerLiteral value: Int64) { self = .integer(value) }
    /// NULL.
    public init(nilLiteral: ()) { self = .null }
}

extension SQLValue {
    /// Text, or NULL for `nil`.
    public static func optional(_ s: String?) -> SQLValue { s.map { .text($0) } ?? .null }
    /// Integer, or NULL for `nil`.
    public static func optional(_ i: Int?) -> SQLValue { i.map { .integer(Int64($0)) } ?? .null }
}

/// The column names of one result, with their positions; shared by every row of that result.
public final class ResultColumns: Sendable {
    /// Names in result order.
    public let names: [String]
    private let positions: [String: Int]

    /// Columns named `names`; the first of a repeated name wins.
    public init(_ names: [String]) {
        self.names = names
        var positions: [String: Int] = [:]
        for (i, name) in names.enumerated() where positions[name] == nil { positions[name] = i }
        self.positions = positions
    }

    /// The position of `name`, nil when the result has no such column.
    public func position(_ name: String) -> Int? { positions[name] }
}

/// One result row: values by position, looked up by column name.
public struct Row: Sendable {
    /// The result's columns, shared by its rows.
    public let shape: ResultColumns
    /// Values in column order.
    public let values: [SQLValue]

    /// Creates a row; `columns` and `values` have the same length.
    public init(columns: [String], values: [SQLValue]) {
        self.init(shape: ResultColumns(columns), values: values)
    }

    /// Creates a row of a result whose columns are `shape`.
    public init(shape: ResultColumns, values: [SQLValue]) {
        self.shape = shape
        self.values = values
    }

    /// Column names in result order.
    public var columns: [String] { shape.names }

    /// The value of a column, `.null` when the column is absent.
    public subscript(_ name: String) -> SQLValue {
        guard let i = shape.position(name) else { return .null }
        return values[i]
    }

    /// The value at `position` (a `ResultColumns.position`), `.null` when there is none.
    public func value(at position: Int?) -> SQLValue {
        guard let position else { return .null }
        return values[position]
    }

    /// The column as text, `nil` when NULL.
    public func string(_ name: String) -> String? { self[name].textValue }
    /// The column as an integer, `nil` when NULL or not numeric.
    public func int(_ name: String) -> Int? { self[name].intValue.map { Int($0) } }
}

/// What a statement returned: its rows (possibly none) and the rows it changed.
public struct QueryResult: Sendable {
    /// Rows returned by the statement.
    public var rows: [Row]
    /// Rows inserted, updated or deleted.
    public var affected: Int
}

extension Collection<UInt8> {
    /// `body` over the bytes: the collection's own storage when it is contiguous (a native
    /// string's UTF-8, an array, a slice of one), else a copy. Reading a string's bytes this way
    /// makes no String and no array per call.
    func withByteBuffer<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let result = try withContiguousStorageIfAvailable(body) { return result }
        return try Array(self).withUnsafeBufferPointer(body)
    }
}

/// Text written as bytes (COPY rows, report CSV lines).
extension Array where Element == UInt8 {
    /// Appends `v` in decimal, digit by digit (no String).
    mutating func appendDecimal(_ v: Int64) {
        if v < 0 { append(0x2D) }
        withDecimalDigits(of: v.magnitude) { append(contentsOf: $0) }
    }
}

/// `body` over the decimal digits of `n` (ASCII), written in a buffer on the stack: no String,
/// no array.
func withDecimalDigits<R>(of n: UInt64, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
    try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
        var n = n
        var i = 20
        repeat {
            i -= 1
            digits[i] = UInt8(truncatingIfNeeded: 0x30 &+ n % 10)
            n /= 10
        } while n > 0
        return try body(UnsafeBufferPointer(rebasing: digits[i...]))
    }
}
