import Foundation
import Testing
@testable import LeadSync

/// Pieces that need no database.
@Suite struct UnitTests {
    /// The catch-up's candidates are merged into the match's best by batch_match's order: lower
    /// priority number, then newer systemmodstamp (none last), then higher id; one per kind,
    /// surname agreement and origin.
    @Test func catchUpCandidatesRankAsTheMatchQueryRanks() {
        func match(_ id: Int64, kind: String = "e", priority: Int = 2, stamp: String? = "2026-11-20 10:00:00", samePerson: Bool = true,
                   inRun: Bool = true) -> CRMMatch {
            CRMMatch(Row(columns: ["kind", "crm_object", "crm_id", "sfid", "leadsync_id", "same_person", "in_run", "priority", "systemmodstamp"],
                         values: [.text(kind), "lead", .integer(id), .null, .null, samePerson ? "t" : "f", inRun ? "t" : "f",
                                  .integer(Int64(priority)), stamp.map { .text($0) } ?? .null]))
        }
        func best(_ candidates: [CRMMatch]) -> [Int64] {
            var kept: [CRMMatch] = []
            for c in candidates { CRMMatch.keepBest(c, in: &kept) }
            return kept.map(\.crmID)
        }
        #expect(best([match(1, priority: 2), match(2, priority: 1)]) == [2])
        #expect(best([match(2, priority: 1), match(1, priority: 2)]) == [2])
        #expect(best([match(1, stamp: "2026-11-20 10:00:00"), match(2, stamp: "2026-11-20 10:00:00.5")]) == [2])
        #expect(best([match(2, stamp: "2026-11-21 09:00:00"), match(1, stamp: nil)]) == [2])
        #expect(best([match(1, stamp: nil), match(2, stamp: "2026-11-19 09:00:00")]) == [2])
        #expect(best([match(1), match(2)]) == [2])
        #expect(best([match(2), match(1)]) == [2])
        // Other groups are kept beside each other, in arrival order.
        #expect(best([match(1), match(2, kind: "p"), match(3, samePerson: false), match(4, inRun: false), match(5, priority: 1)])
                == [5, 2, 3, 4])
    }

    /// ASCII keys take a fast path (no NFC, no folding); it must give what the general path gives.
    @Test func asciiKeysEqualTheGeneralPath() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array(" \t\r\n\u{0B}\u{0C}aAzZmM09@._-+'`~ßÄ".unicodeScalars.filter { $0.isASCII })
        for _ in 0..<5000 {
            let s = String(String.UnicodeScalarView((0..<Int.random(in: 0...12, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }))
            let general = MatchKeys.trim(s.precomposedStringWithCanonicalMapping).lowercased()
            #expect(MatchKeys.email(s) == (general.isEmpty ? nil : general), "\(s.debugDescription)")
            #expect(MatchKeys.lastName(s) == MatchKeys.trim(s).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil), "\(s.debugDescription)")
        }
        #expect(MatchKeys.lastName(" Müller ") == "muller")
        #expect(MatchKeys.email(" Anna@Example.COM\u{00A0}") == "anna@example.com")
    }

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
        #expect(throws: DatabaseError.self) { try p.bind([:], query: "q", engine: .sqlite) }
    }

    @Test(arguments: [
        ("2026-11-17T12:00:07+00:00", "2026-11-17T12:00:07.000Z"),
        ("2026-11-17T12:00:07Z", "2026-11-17T12:00:07.000Z"),
        ("2026-11-17 13:00:07.250+01:00", "2026-11-17T12:00:07.250Z"),
        ("2026-11-17T12:00", "2026-11-17T12:00:00.000Z"),
        ("2026-11-17", "2026-11-17T00:00:00.000Z"),
        ("2026-11-17T07:00:07-05:00", "2026-11-17T12:00:07.000Z"),
        ("2026-11-17t12:00:07,5z", "2026-11-17T12:00:07.500Z"),
        (" 2026-11-17T14:30:07+0230 ", "2026-11-17T12:00:07.000Z"),
    ])
    func timestampsAreStoredInUTC(input: String, stored: String) throws {
        let date = try #require(Timestamp.parse(input))
        #expect(Timestamp.format(date) == stored)
    }

    @Test(arguments: ["yesterday", "2026-13-01", "2026-02-30T00:00:00Z", "2026-11-17T25:00", "", "2026-11-17T12:00:07.",
                      "2026-11-17T12:00:07+0", "2026-11-17X12:00", "2026-11-17T12:00:07Zulu"])
    func badTimestampsAreRefused(input: String) {
        #expect(Timestamp.parse(input) == nil)
    }

    @Test func databaseURLs() throws {
        #expect(try DatabaseLocation(parsing: "sqlite:x.sqlite") == .sqlite(path: "x.sqlite"))
        #expect(try DatabaseLocation(parsing: "postgresql://u@h/db") == .postgres(conninfo: "postgresql://u@h/db"))
        #expect(try DatabaseLocation(parsing: "host=h dbname=d") == .postgres(conninfo: "host=h dbname=d"))
        #expect(throws: UsageError.self) { try DatabaseLocation(parsing: "mysql://x") }
    }

    @Test func configDefaultsAndOverrides() throws {
        let c = try Configuration.parse("""
            fallback_owner = " Admin@Vertrieb.Example "
            default_region = "at"
            default_target = "contact"
            [postgres]
            job_schema = "ls"
            [mapping.lead]
            linkedin_url__c = "custom_fields.linkedin_url"
            website = ""
            [value_maps.leadsource]
            trade_fair = "Trade Show"
            """, file: "t.toml")
        #expect(c.fallbackOwner == "admin@vertrieb.example")
        #expect(c.defaultRegion == "AT")
        #expect(c.defaultTarget == .contact)
        #expect(c.connection.jobSchema == "ls")
        let lead = try #require(c.mapping[.lead])
        #expect(lead.contains(FieldMapping(column: "linkedin_url__c", source: .customField("linkedin_url"))))
        #expect(!lead.contains { $0.column == "website" })
        #expect(c.valueMaps["leadsource"]?["trade_fair"] == "Trade Show")
        #expect(Configuration().mapping[.contact]?.contains { $0.column == "mailingcity" } == true)
    }

    @Test func schemaNamesAreAllowListed() {
        #expect(throws: UsageError.self) { try quoteIdentifier("x\"; DROP SCHEMA y") }
        #expect(throws: UsageError.self) { try quoteIdentifier("Upper") }
        #expect((try? quoteIdentifier("salesforce")) == "\"salesforce\"")
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

    /// The report writes each CSV line straight from the claimed row (no array of fields); it
    /// must equal the RFC 4180 line of the fields, formula neutralising included.
    @Test func reportLineEqualsTheLineOfItsFields() {
        var rng = SystemRandomNumberGenerator()
        let pieces = ["", "a", "Müller", ",", "\"", "\r\n", "\n", "=1+2", "+49 30 1", "-5", "@x", "\tlead", "\rx", " ", "'", "x,y"]
        let columns = ReportRow.capturedColumns + ["attempts", "existing_lead_id"]
        for _ in 0..<2000 {
            let text = { (0..<Int.random(in: 0...3, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined() }
            let values: [SQLValue] = columns.map { _ in Bool.random(using: &rng) ? .null : .text(text()) }
            let claimed = ClaimedRow(Row(columns: columns.shuffled(using: &rng), values: values))
            let row = ReportRow(captured: claimed, status: "failed", errorCode: Bool.random(using: &rng) ? nil : text(),
                                errorMessage: text(), crmObject: "lead", crmID: Bool.random(using: &rng) ? nil : 42, crmRecord: text(),
                                ownerSfid: nil, ownerSource: text(), exportedAt: nil)
            var positions = CapturedPositions()
            #expect(row.csvLine(positions: positions.positions(for: claimed)) == ReportFiles.csvLine(row.fields))
        }
    }

    /// isValidEmail scans bytes; it must agree with the rule as first written (split on `@` and
    /// `.`) on random strings of the characters that matter.
    @Test func emailCheckAgreesWithTheSplitDefinition() {
        func reference(_ trimmed: String) -> Bool {
            let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty else { return false }
            guard !trimmed.unicodeScalars.contains(where: MatchKeys.isSpace) else { return false }
            let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
            return labels.count >= 2 && !labels.contains(where: \.isEmpty)
        }
        var rng = SystemRandomNumberGenerator()
        let alphabet = ["a", "b", "c", "@", ".", "a.b", "x.y", " ", "\t", "\u{00A0}", "\u{200B}", "é", "@@", ".."]
        var valid = 0
        for _ in 0..<20000 {
            let piece = { (0..<Int.random(in: 0...3, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined() }
            // Half look like addresses (piece@piece.piece), half are any mix.
            let s = Bool.random(using: &rng) ? "\(piece())@\(piece()).\(piece())" : piece() + piece() + piece()
            #expect(MatchKeys.isValidEmail(s) == reference(s), "\(s.debugDescription)")
            if reference(s) { valid += 1 }
        }
        #expect(valid > 100, "the random strings include valid addresses")
    }

    /// COPY's text format, byte by byte (HostileInputTests loads such values through a real
    /// server and reads them back unchanged).
    /// SQLite's process-wide set-up must run before any connection opens, or SQLite refuses it
    /// (SQLITE_MISUSE) and a batch's outcome UPDATE journals to a temporary file again.
    @Test func sqliteProcessSetupTakesEffect() throws {
        try withTestDatabase(.sqlite) { t in
            _ = try t.open()
            #expect(SQLiteConnection.processSetup == 0)
        }
    }

    /// A SQLite session checkpoints its log every 20,000 pages, not SQLite's default 1,000
    /// (scattered keys dirty a page of each key index per new record; see SQLiteConnection).
    @Test func sqliteSessionCheckpointsEvery20000Pages() throws {
        try withTestDatabase(.sqlite) { t in
            let db = try t.open()
            #expect(try TestQueries.run("PRAGMA wal_autocheckpoint", on: db).first?.values.first?.intValue == 20000)
            #expect(try TestQueries.run("PRAGMA journal_mode", on: db).first?.values.first?.textValue == "wal")
        }
    }

    /// A `captured_by` taken as it is must be one trimming and lower-casing would leave alone.
    @Test(arguments: ["anna@x.example", "Anna@X.example", " anna@x.example", "anna@x.example\t", "\nBOB@x.example ",
                      "zoë@x.example", "ZOË@X.EXAMPLE", "\u{00A0}anna@x.example", "", "@", "A"])
    func userKeysEqualTrimmedLowerCase(capturedBy: String) {
        #expect(OwnerResolver.userKey(capturedBy) == MatchKeys.trim(capturedBy).lowercased())
        #expect(OwnerResolver.userKey(nil) == "")
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
