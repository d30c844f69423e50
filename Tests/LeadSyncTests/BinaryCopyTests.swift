import Foundation
import Testing
@testable import LeadSync

/// PostgreSQL's binary COPY: what the encoder writes, and what it leaves to a load as text.
@Suite struct BinaryCopyTests {
    /// Rows for a typed load: timestamps in the forms PostgreSQL prints and the job writes,
    /// around leap days, the epochs and the ends of the range, and runs of one time as a batch's
    /// rows carry (the encoder reads it once); text COPY's special bytes; integers given as text
    /// (PostgreSQL returns ids as text); booleans as the job writes them (the mirror's
    /// `isdeleted`) and as 0 and 1.
    static let typedColumns = ["n", "t", "b", "s", "ts", "i", "f"]

    static let copyTypes: [CopyType] = [.bigint, .text, .bigint, .smallint, .timestamp, .integer, .boolean]

    static var typedRows: [[SQLValue]] {
        let stamps = ["2026-11-30 12:34:56", "2026-11-30 12:34:56.1", "2026-11-30 12:34:56.123456", "2024-02-29T23:59:59.999999Z",
                      "2024-03-01 00:00:00", "2000-01-01 00:00:00", "1999-12-31 23:59:59.5", "2000-02-29 12:00:00",
                      "1970-01-01T00:00:00.000Z", "1900-03-01 00:00:00+00", "1600-02-29 01:02:03+00:00", "0001-01-01 00:00:00",
                      "9999-12-31 23:59:59.999999", "2100-02-28 23:59:59",
                      "2026-12-01T06:00:00.123Z", "2026-12-01T06:00:00.123Z", "2026-12-01T06:00:00.124Z", "2026-12-01T06:00:00.123Z"]
        let texts: [SQLValue] = [.text(""), .text("tab\there"), .text("back\\slash"), .text("line\nbreak\r"), .text("ünïcödé ✓"), .null]
        let bigints: [SQLValue] = [.integer(Int64.min), .integer(Int64.max), .text("123"), .integer(-5), .null]
        let smallints: [SQLValue] = [.integer(3), .text("-7"), .integer(32_767), .integer(-32_768), .null]
        let integers: [SQLValue] = [.integer(Int64(Int32.max)), .text("-12"), .integer(Int64(Int32.min)), .null]
        let booleans: [SQLValue] = [.text("true"), .text("false"), .text("t"), .text("f"), .integer(0), .integer(1), .null]
        var rows: [[SQLValue]] = stamps.enumerated().map { n, stamp in
            [.integer(Int64(n)), texts[n % texts.count], bigints[n % bigints.count], smallints[n % smallints.count], .text(stamp),
             integers[n % integers.count], booleans[n % booleans.count]]
        }
        rows.append([.integer(99), .text("no stamp"), .null, .null, .null, .null, .null])
        return rows
    }

    /// A row the encoder does not read: a zone other than UTC, whose load goes as text.
    static let zonedRows: [[SQLValue]] = [[.integer(100), .text("zoned"), .integer(1), .integer(1), .text("2026-11-30 12:34:56+02"), .null, .null]]

    /// The binary encoder takes every value above, and leaves to the server (a load as text)
    /// what it does not read as PostgreSQL would: dates that do not exist, times PostgreSQL
    /// reads its own way (24:00, a leap second), more digits of fraction, other zones.
    @Test func theBinaryEncoderTakesWhatItReadsAndLeavesTheRest() {
        #expect(BinaryCopy.encode(Self.typedRows, types: Self.copyTypes) != nil, "every value here goes in binary")
        #expect(BinaryCopy.encode(Self.zonedRows, types: Self.copyTypes) == nil, "a zone other than UTC goes as text")
        for odd in ["2100-02-29 00:00:00", "2023-02-29 00:00:00", "2026-04-31 00:00:00", "2026-13-01 00:00:00", "0000-01-01 00:00:00",
                    "2026-11-30 24:00:00", "2026-11-30 12:34:60", "2026-11-30 12:34:56.1234567", "2026-11-30 12:34", "infinity"] {
            #expect(BinaryCopy.encode([[.integer(1), .null, .null, .null, .text(odd), .null, .null]], types: Self.copyTypes) == nil, "\(odd)")
        }
        #expect(BinaryCopy.encode([[.integer(1), .null]], types: Self.copyTypes) == nil, "a row of another width goes as text")
    }

    /// A load given its columns' types goes to PostgreSQL in COPY's binary format, where the
    /// client encodes what the server would parse: every value must be stored as the same load
    /// in text stores it, and a load with a value the encoder does not read goes as text, whole,
    /// and still stores it. (SQLite ignores the types: there both loads are the same code.)
    @Test(.enabled(if: TestEngine.postgresURL != nil))
    func aTypedLoadStoresWhatATextLoadStores() throws {
        try withTestDatabase(.postgres) { t in
            let db = try t.migrated()
            for table in ["typed", "untyped"] {
                try t.exec("CREATE TABLE \(table) (n bigint, t text, b bigint, s smallint, ts timestamp, i integer, f boolean)")
            }
            let rows = Self.typedRows
            try db.begin(immediate: true)
            try db.bulkLoad(table: "typed", columns: Self.typedColumns, types: Self.copyTypes, rows: rows)
            try db.bulkLoad(table: "typed", columns: Self.typedColumns, types: Self.copyTypes, rows: Self.zonedRows)
            try db.bulkLoad(table: "untyped", columns: Self.typedColumns, rows: rows + Self.zonedRows)
            try db.commit()
            func stored(_ table: String) throws -> [[SQLValue]] {
                try db.runAdHoc("SELECT n, t, b, s, CAST(ts AS text) AS ts, i, CAST(f AS text) AS f FROM \(table) ORDER BY n", name: "read_\(table)").map(\.values)
            }
            let typed = try stored("typed"), untyped = try stored("untyped")
            #expect(typed.count == rows.count + 1)
            #expect(typed == untyped)
        }
    }
}
