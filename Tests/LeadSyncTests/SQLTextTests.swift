import Foundation
import Testing
@testable import LeadSync

/// The SQL the binary carries and how its parameters and COPY rows are written.
@Suite struct SQLTextTests {
    @Test func namedParametersBecomePositional() {
        let sql = "SELECT :a, ':not', \"col:x\", x::text, :b, :a -- :c\n/* :d */ FROM t WHERE y = $q$:e$q$"
        let pg = NamedParameters(sql, engine: .postgres)
        #expect(pg.names == ["a", "b"])
        #expect(pg.sql == "SELECT $1, ':not', \"col:x\", x::text, $2, $1 -- :c\n/* :d */ FROM t WHERE y = $q$:e$q$")
        let lite = NamedParameters("SELECT :a, :b, :a", engine: .sqlite)
        #expect(lite.sql == "SELECT ?1, ?2, ?1")
    }

    @Test func missingParameterIsNamed() {
        let p = NamedParameters("SELECT :a", engine: .sqlite)
        let error = #expect(throws: InternalError.self) { try p.bind([:], query: "q", engine: .sqlite) }
        #expect(error?.description == "internal error: q: parameter :a was not given")
    }

    /// The binary carries `sql/`: the embedded copy must equal the files (run `make sql`).
    @Test func embeddedSQLMatchesTheSQLFolder() throws {
        let sqlRoot = Fixtures.packageRoot.appendingPathComponent("sql")
        let files = try #require(FileManager.default.enumerator(atPath: sqlRoot.path)).compactMap { $0 as? String }.filter { $0.hasSuffix(".sql") }
        #expect(Set(files) == Set(SQLCatalog.paths), "run `make sql` to embed the changed SQL files")
        for file in files {
            let text = try String(contentsOf: sqlRoot.appendingPathComponent(file), encoding: .utf8)
            let embedded = SQLCatalog.text(path: file)?.trimmingCharacters(in: .newlines)
            #expect(embedded == text.trimmingCharacters(in: .newlines), "\(file) differs from the embedded copy: run `make sql`")
        }
    }

    /// Every query file names its parameters and what it returns in its header (house style).
    @Test func queryFilesHaveHeaders() throws {
        for path in SQLCatalog.paths where path.contains("/queries/") {
            let text = try #require(SQLCatalog.text(path: path))
            #expect(text.contains("-- params:"), "\(path) has no params line")
            #expect(text.contains("-- returns:"), "\(path) has no returns line")
        }
        let pg = Set(SQLCatalog.paths.filter { $0.hasPrefix("postgres/") }.map { $0.dropFirst("postgres/".count) })
        let lite = Set(SQLCatalog.paths.filter { $0.hasPrefix("sqlite/") }.map { $0.dropFirst("sqlite/".count) })
        #expect(pg == lite, "sql/postgres and sql/sqlite mirror each other's file names")
    }

    @Test func copyRowsEscapeTheFourSpecialBytes() {
        var buffer: [UInt8] = []
        PostgresConnection.appendCopyRow([.text("a\tb\\c\nd\re"), .null, .integer(-42), .text("Müller 😀"), .text("")], to: &buffer)
        PostgresConnection.appendCopyRow([.real(1.5)], to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "a\\tb\\\\c\\nd\\re\t\\N\t-42\tMüller 😀\t\n1.5\n")
    }

    /// Integers are written digit by digit into the buffer: every width and both ends of Int64.
    @Test(arguments: [0, 7, -7, 10, 99, -100, 1_234_567_890_123, Int64.max, Int64.min])
    func copyRowsWriteIntegersAsDecimal(value: Int64) {
        var buffer: [UInt8] = []
        PostgresConnection.appendCopyRow([.integer(value), .integer(value)], to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "\(value)\t\(value)\n")
    }
}
