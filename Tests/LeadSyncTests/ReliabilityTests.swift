import Foundation
import Testing
@testable import LeadSync

/// Whatever happens, every captured contact ends exported once or failed with a reason.
@Suite struct ReliabilityTests {
    /// The invariants checked after every scenario.
    static func checkInvariants(_ t: TestDatabase) throws {
        let pendingOrTerminal = try t.scalar("SELECT count(*) FROM captured_contact WHERE status NOT IN ('pending', 'exported', 'failed')")
        #expect(pendingOrTerminal == "0")
        #expect(try t.scalar("SELECT count(*) FROM captured_contact WHERE status = 'failed' AND error_code IS NULL") == "0", "every failure has a reason")
        for object in ["lead", "contact"] {
            #expect(try t.scalar("SELECT count(leadsync_id__c) - count(DISTINCT leadsync_id__c) FROM \(object)") == "0", "no \(object) written twice")
        }
        #expect(try t.scalar("SELECT count(*) FROM captured_contact WHERE status = 'exported'")
                == t.scalar("SELECT (SELECT count(*) FROM lead WHERE leadsync_id__c IS NOT NULL) + (SELECT count(*) FROM contact WHERE leadsync_id__c IS NOT NULL)"),
                "exported rows = mirror rows written")
        #expect(try t.scalar("""
            SELECT count(*) FROM (SELECT lower(trim(email)) AS k FROM captured_contact
                                  WHERE status = 'exported' AND trim(coalesce(email, '')) <> '' GROUP BY lower(trim(email)) HAVING count(*) > 1) d
            """) == "0", "no two exported rows share an email key")
    }

    /// PostgreSQL ends a killed client's sessions only once each notices (its statement or lock
    /// wait over, its next read from the socket): until then the run's owner lock is held and the
    /// next run rightly leaves that run `running`. The next run here starts after they ended, as
    /// the next cron run would; a session that outlives 10 s fails the test.
    static func waitForKilledSessions(_ t: TestDatabase) throws {
        guard t.engine == .postgres else { return }
        let sessions = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = 'leadsync'"
        let deadline = Date().addingTimeInterval(10)
        while try t.scalar(sessions) != "0" && Date() < deadline { usleep(50_000) }
        #expect(try t.scalar(sessions) == "0", "a killed run's session outlived 10 s")
    }

    /// After a failure scenario: a normal run exits 0, keeps the invariants, leaves nothing pending
    /// and no run `running` (the failed ones were marked abandoned), and every row has the
    /// corpus's status and error code.
    static func nextRunCompletesTheCorpus(_ t: TestDatabase, config: String) throws {
        let next = try CLI.run(["run", "--settle-minutes", "0", "--config", config, "--database", t.url,
                                "--report-dir", t.directory.appendingPathComponent("reports").path])
        #expect(next.status == 0, "\(next.stderr)")
        try checkInvariants(t)
        #expect(try t.scalar("SELECT count(*) FROM captured_contact WHERE status = 'pending'") == "0")
        #expect(try t.scalar("SELECT count(*) FROM sync_run WHERE status = 'running'") == "0")
        let expected = try Corpus.records("expected.csv")
        let actual = try Corpus.outcomes(t)
        let differing = expected.filter { e in ["status", "error_code"].contains { actual[e["external_id"] ?? ""]?[$0] != e[$0] } }
        #expect(differing.isEmpty, "\(differing.count) outcomes differ from the corpus, e.g. \(differing.prefix(3))")
    }

    @Test(arguments: TestEngine.available)
    func killedRunsThenANormalRunKeepTheInvariants(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            let config = try Corpus.load(into: t)
            var rng = SystemRandomNumberGenerator()
            var env = ProcessInfo.processInfo.environment
            env["LEADSYNC_DATABASE_URL"] = t.url
            for _ in 0..<(10 * Soak.rounds) {
                let p = Process()
                p.executableURL = CLI.executable
                p.arguments = ["run", "--settle-minutes", "0", "--batch-size", "40", "--config", config,
                               "--report-dir", t.directory.appendingPathComponent("reports").path]
                p.environment = env
                p.standardOutput = FileHandle.nullDevice
                p.standardError = FileHandle.nullDevice
                try p.run()
                usleep(UInt32.random(in: 20_000...400_000, using: &rng))
                kill(p.processIdentifier, SIGKILL)
                p.waitUntilExit()
                try Self.checkInvariants(t)
            }
            try Self.waitForKilledSessions(t)
            try Self.nextRunCompletesTheCorpus(t, config: config)
            if engine == .sqlite {
                #expect(try t.scalar("PRAGMA integrity_check") == "ok")
            }
        }
    }

    /// A report that cannot be written (here every file is capped at 64 KB, which fails writes as
    /// a full disk does) stops the run at the next batch with one line saying so: the batches
    /// already committed stay exported, the rest stay pending, no half report is left, the run is
    /// recorded as failed with the reason, and the next run completes the corpus.
    @Test func aReportWriteErrorStopsTheRunAndLosesNoRow() throws {
        try withTestDatabase(.postgres) { t in
            let config = try Corpus.load(into: t)
            let reports = t.directory.appendingPathComponent("reports")
            let r = try CLI.run(["run", "--settle-minutes", "0", "--batch-size", "100", "--config", config, "--database", t.url,
                                 "--report-dir", reports.path], fileSizeLimitKB: 64)
            #expect(r.status == 1)
            #expect(r.errorLines.count == 1, "\(r.stderr)")
            #expect(r.stderr.contains("report") && r.stderr.contains("File too large"), "\(r.stderr)")
            let left = (try? FileManager.default.contentsOfDirectory(atPath: reports.path)) ?? []
            #expect(left.isEmpty, "no report folder, finished or not: \(left)")
            #expect(try t.scalar("SELECT status FROM sync_run") == "failed")
            #expect(try t.scalar("SELECT error FROM sync_run")?.contains("File too large") == true)
            let done = Int(try t.scalar("SELECT count(*) FROM captured_contact WHERE status <> 'pending'") ?? "") ?? 0
            #expect(done > 0 && done < 1500, "stopped after some batches: \(done) rows done")
            try Self.checkInvariants(t)
            try Self.nextRunCompletesTheCorpus(t, config: config)
        }
    }

    @Test func leastPrivilegeRoleRunsAFullSync() throws {
        try withTestDatabase(.postgres) { t in
            let config = try Corpus.load(into: t)
            try Self.withLeastPrivilegeRole(t) { url in
                let run = try CLI.run(["run", "--settle-minutes", "0", "--config", config,
                                       "--report-dir", t.directory.appendingPathComponent("reports").path], environment: ["LEADSYNC_DATABASE_URL": url])
                #expect(run.status == 0, "\(run.stderr)")
                #expect(run.stdout.contains("1391 contacts exported"))
                let ddl = try CLI.run(["migrate", "--crm-mirror"], environment: ["LEADSYNC_DATABASE_URL": url])
                #expect(ddl.status == 1, "the role cannot run DDL")
            }
        }
    }

    /// A role set up by the grants file before an upgrade can use the tables a later migration
    /// creates (006 adds batch_clock): the file's default privileges cover them, so an upgrade is
    /// `leadsync migrate` as the owner and nothing more.
    @Test func aRoleGrantedBeforeAMigrationUsesTheTablesItCreates() throws {
        try withTestDatabase(.postgres) { t in
            let config = try Corpus.load(into: t)
            // The database as migration 005 left it.
            try t.exec("DROP TABLE batch_clock; ALTER TABLE crm_match_key DROP COLUMN batch_seq; DELETE FROM schema_migration WHERE set_name = 'migrations' AND version = 6")
            try Self.withLeastPrivilegeRole(t) { url in
                let migrate = try CLI.run(["migrate", "--database", t.url])
                #expect(migrate.status == 0, "\(migrate.stderr)")
                let run = try CLI.run(["run", "--settle-minutes", "0", "--config", config,
                                       "--report-dir", t.directory.appendingPathComponent("reports").path], environment: ["LEADSYNC_DATABASE_URL": url])
                #expect(run.status == 0, "\(run.stderr)")
                #expect(run.stdout.contains("1391 contacts exported"))
            }
        }
    }

    /// Creates a role with `docs/least_privilege_postgres.sql` and gives `body` its URL.
    static func withLeastPrivilegeRole(_ t: TestDatabase, _ body: (String) throws -> Void) throws {
        let role = "leadsync_job_\(UUID().uuidString.prefix(8).lowercased())"
        let password = "pw-\(UUID().uuidString)"
        let dbName = String(URLComponents(string: t.url)?.path.dropFirst() ?? "")
        var sql = try String(contentsOf: Fixtures.packageRoot.appendingPathComponent("docs/least_privilege_postgres.sql"), encoding: .utf8)
        sql = sql.replacingOccurrences(of: "leadsync_job", with: role)
            .replacingOccurrences(of: "'change-me'", with: "'\(password)'")
            .replacingOccurrences(of: "current_database_placeholder", with: dbName)
        try t.exec(sql)
        defer { try? t.exec("DROP OWNED BY \(role); DROP ROLE \(role)") }
        var components = try #require(URLComponents(string: t.url))
        components.user = role
        components.password = password
        try body(try #require(components.string))
    }
}

/// A value the mirror rejects fails its row alone, with the database's reason.
@Suite struct RowIsolationTests {
    @Test(arguments: TestEngine.available)
    func aRejectedRowFailsAloneAndTheRestOfItsBatchExports(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Scenario(t)
            s.config += "[mapping.lead]\nlinkedin_url__c = \"title\"\n"
            for i in 0..<6 {
                s.capture("r\(i)", last: "Person\(i)", email: "p\(i)@x.example", minutesAgo: 60 - i,
                          title: i == 3 ? "javascript:alert(1)" : "https://li.example/\(i)")
            }
            let (db, config) = try s.load()
            try db.executeScript("ALTER TABLE lead ADD COLUMN linkedin_url__c text CHECK (linkedin_url__c LIKE 'https://%')", name: "t")
            var options = Scenario.options()
            options.batchSize = 4
            let summary = try SyncJob(db: db, config: config).run(options)
            let o = try Scenario.outcomes(db)
            #expect(o["r3"]?.status == "failed")
            #expect(o["r3"]?.code == "crm_rejected")
            #expect(o["r3"]?.message?.contains(engine == .postgres ? "23514" : "SQLITE_CONSTRAINT") == true, "\(o["r3"]?.message ?? "")")
            for i in [0, 1, 2, 4, 5] { #expect(o["r\(i)"]?.status == "exported", "r\(i)") }
            #expect(summary.exported == 5)
            #expect(summary.failed == 1)
            #expect(try db.runAdHoc("SELECT attempts FROM captured_contact WHERE external_id = 'r3'", name: "t").first?.int("attempts") == 1)
        }
    }
}

extension RowIsolationTests {
    /// The outcome UPDATE stops at a row it cannot write, after the rows before it (SQLite's runs
    /// it OR FAIL, without a statement journal): the batch's rollback must undo those rows and
    /// their mirror records, so that each row is written once when its batch is taken apart.
    /// A trigger refuses r3's export here.
    @Test(arguments: TestEngine.available)
    func anOutcomeWriteThatStopsHalfwayLeavesNoRowWrittenTwice(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Scenario(t)
            for i in 0..<6 { s.capture("r\(i)", last: "Person\(i)", email: "p\(i)@x.example", minutesAgo: 60 - i) }
            let (db, config) = try s.load()
            if engine == .postgres {
                try db.executeScript("""
                    CREATE FUNCTION refuse_r3() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        IF NEW.external_id = 'r3' AND NEW.status = 'exported' THEN RAISE EXCEPTION 'r3 refused' USING ERRCODE = 'check_violation'; END IF;
                        RETURN NEW;
                    END $$;
                    CREATE TRIGGER refuse_r3 BEFORE UPDATE ON captured_contact FOR EACH ROW EXECUTE FUNCTION refuse_r3();
                    """, name: "t")
            } else {
                try db.executeScript("""
                    CREATE TRIGGER refuse_r3 BEFORE UPDATE ON captured_contact
                    WHEN NEW.external_id = 'r3' AND NEW.status = 'exported'
                    BEGIN SELECT RAISE(FAIL, 'r3 refused'); END
                    """, name: "t")
            }
            var options = Scenario.options()
            options.batchSize = 6
            let summary = try SyncJob(db: db, config: config).run(options)
            let o = try Scenario.outcomes(db)
            #expect(o["r3"]?.status == "failed")
            for i in [0, 1, 2, 4, 5] { #expect(o["r\(i)"]?.status == "exported", "r\(i)") }
            #expect(summary.exported == 5)
            let attempts = try db.runAdHoc("SELECT external_id, attempts FROM captured_contact ORDER BY external_id", name: "t")
                .map { "\($0.string("external_id") ?? "") \($0.int("attempts") ?? -1)" }
            #expect(attempts == ["r0 1", "r1 1", "r2 1", "r3 1", "r4 1", "r5 1"])
            let records = try db.runAdHoc("SELECT leadsync_id__c FROM lead WHERE leadsync_id__c IS NOT NULL ORDER BY leadsync_id__c", name: "t")
                .map { $0.string("leadsync_id__c") ?? "" }
            #expect(records == ["r0", "r1", "r2", "r4", "r5"])
        }
    }
}

/// Hostile input through import and run: each row is exported byte for byte or fails with a
/// specific reason, and nothing crashes.
@Suite struct HostileInputTests {
    @Test(arguments: TestEngine.available)
    func hostileRowsExportExactlyOrFailWithAReason(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            var s = Scenario(t)
            s.capture("seed", last: "Seed", email: "seed@x.example")
            let (db, config) = try s.load()
            func q(_ v: String) -> String { "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
            let names: [(String, String)] = [
                ("emoji", "Zoë 😀👍🏽 👩‍👩‍👧"), ("rtl", "עברית العربية"), ("combining", "Ame\u{0301}lie Z\u{0308}"),
                ("sql", "Robert'); DROP TABLE lead;--"), ("crlf", "Line\r\nBreak"), ("ansi", "\u{1B}[31mRed\u{1B}[0m"),
                ("copy", "Back\\slash\tTab \\N"),
                ("formula", "=HYPERLINK(\"http://evil\")"),
            ]
            var csv = "external_id,source,captured_at,last_name,company,email,notes\n"
            for (id, name) in names { csv += "\(id),webform,2026-11-20T10:00:00Z,\(q(name)),ACME,\(id)@x.example,\n" }
            csv += "bignote,webform,2026-11-20T10:00:00Z,Big,ACME,big@x.example,\(String(repeating: "x", count: 10_000_000))\n"
            csv += "longmail,webform,2026-11-20T10:00:00Z,Long,ACME,\(String(repeating: "a", count: 490))@x.example,\n"
            let file = t.directory.appendingPathComponent("hostile.csv")
            try Data(csv.utf8).write(to: file)
            _ = try CSVImporter(db: db).importFile(path: file.path, now: Scenario.now)
            var options = Scenario.options()
            options.report = ReportOptions(directory: t.directory.appendingPathComponent("reports").path)
            let summary = try SyncJob(db: db, config: config).run(options)
            let o = try Scenario.outcomes(db)
            for (id, name) in names {
                #expect(o[id]?.status == "exported", "\(id)")
                let written = try db.runAdHoc("SELECT lastname FROM lead WHERE leadsync_id__c = :id", name: "t", ["id": .text(id)]).first?.string("lastname")
                #expect(written == name.trimmingCharacters(in: .whitespaces), "\(id) written byte for byte")
            }
            #expect(o["bignote"]?.code == "field_too_long")
            #expect(o["longmail"]?.code == "field_too_long")
            #expect(o["longmail"]?.message?.contains("80") == true)
            #expect(summary.read == names.count + 3)
            let failedCSV = try String(contentsOf: try #require(summary.report?.folder).appendingPathComponent("exported.csv"), encoding: .utf8)
            #expect(failedCSV.contains("'=HYPERLINK"), "formula cells are neutralised in reports")
            let text = try String(contentsOf: try #require(summary.report?.folder).appendingPathComponent("summary.html"), encoding: .utf8)
            #expect(!text.contains("\u{1B}"), "no raw escape sequence in a report")
        }
    }
}

extension HostileInputTests {
    /// Text goes to SQLite through one buffer per connection that SQLite reads in place, and
    /// that moves when a row needs more room than it has. Rows of growing and shrinking size,
    /// empty text (not NULL), multi-byte characters and COPY's special bytes must all come back
    /// byte for byte, also a value bound by a query after a load that made the buffer grow.
    @Test(arguments: TestEngine.available)
    func boundTextComesBackByteForByte(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            let db = try t.migrated()
            try t.exec("CREATE TABLE bound_text (n integer, a text, b text, c text)")
            let texts = ["x", String(repeating: "Zoë 😀 ", count: 900), "", "Back\\slash\tTab \\N\r\n",
                         String(repeating: "ab", count: 40_000), "Müller", "", String(repeating: "q", count: 5_000)]
            var rows: [[SQLValue]] = []
            for (n, text) in texts.enumerated() {
                rows.append([.integer(Int64(n)), .text(text), n % 3 == 0 ? .null : .text(String(text.reversed())), .text("\(n):\(text.count)")])
            }
            try db.begin(immediate: true)
            try db.bulkLoad(table: "bound_text", columns: ["n", "a", "b", "c"], rows: rows)
            try db.commit()
            let back = try db.runAdHoc("SELECT n, a, b, c FROM bound_text WHERE a = :a OR c = :c ORDER BY n", name: "read_bound",
                                       ["a": .text(texts[4]), "c": "5:6"])
            #expect(back.map { $0.int("n") } == [4, 5])
            let all = try db.runAdHoc("SELECT n, a, b, c FROM bound_text ORDER BY n", name: "read_all")
            #expect(all.count == texts.count)
            // Compared as one Bool per column, so a failure names the row and column rather
            // than printing values of up to 80,000 characters.
            for (row, expected) in zip(all, rows) {
                for (k, column) in ["a", "b", "c"].enumerated() {
                    let same = row[column] == expected[k + 1]
                    #expect(same, "row \(row.int("n") ?? -1), column \(column)")
                }
            }
        }
    }
}

extension HostileInputTests {
    /// SQLite loads rows `SQLiteConnection.rowsPerInsert` to an INSERT, then the rest one at a
    /// time, every row's text bound at once. Loads of every size around a statement's rows must
    /// come back whole and in place, with long text among short in one statement; a row of the
    /// wrong width, or one a CHECK refuses in the middle of a statement, fails the load, and the
    /// rollback leaves none of its rows.
    @Test(arguments: TestEngine.available)
    func loadsOfEverySizeComeBackWhole(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            let db = try t.migrated()
            try t.exec("CREATE TABLE loaded (load integer, n integer, a text CHECK (length(a) <= 9000), b text)")
            let per = SQLiteConnection.rowsPerInsert
            let sizes = [0, 1, per - 1, per, per + 1, 2 * per + 7]
            try db.begin(immediate: true)
            for (load, size) in sizes.enumerated() {
                func text(_ n: Int) -> String { n % 37 == 5 ? String(repeating: "ü", count: 4_000) : "r\(load)-\(n)" }
                let rows: [[SQLValue]] = (0..<size).map { n in
                    let b: SQLValue = n % 4 == 0 ? .null : .text("\(n)")
                    return [.integer(Int64(load)), .integer(Int64(n)), .text(text(n)), b]
                }
                try db.bulkLoad(table: "loaded", columns: ["load", "n", "a", "b"], rows: rows)
            }
            try db.commit()
            for (load, size) in sizes.enumerated() {
                let back = try db.runAdHoc("SELECT n, a, b FROM loaded WHERE load = :load ORDER BY n", name: "read_load", ["load": .integer(Int64(load))])
                #expect(back.count == size, "load \(load)")
                for (n, row) in back.enumerated() {
                    let a = n % 37 == 5 ? String(repeating: "ü", count: 4_000) : "r\(load)-\(n)"
                    let b: SQLValue = n % 4 == 0 ? .null : .text("\(n)")
                    let same = row.int("n") == n && row.string("a") == a && row["b"] == b
                    #expect(same, "load \(load), row \(n)")
                }
            }
            let before = try t.scalar("SELECT count(*) FROM loaded")
            let good: [[SQLValue]] = (0..<(per + 3)).map { [.integer(99), .integer(Int64($0)), .text("ok"), .null] }
            var tooLong = good
            tooLong[per / 2][2] = .text(String(repeating: "x", count: 9_001))
            var short = good
            short[per + 1] = [.integer(99), .integer(1), .text("three values")]
            for rows in [tooLong, short] {
                try db.begin(immediate: true)
                #expect(throws: DatabaseError.self) { try db.bulkLoad(table: "loaded", columns: ["load", "n", "a", "b"], rows: rows) }
                db.rollback()
                #expect(try t.scalar("SELECT count(*) FROM loaded") == before, "a failed load leaves none of its rows")
            }
        }
    }

    /// SQLite's sorter helpers are on for index builds only, and off again after them, also when
    /// a build fails.
    @Test func sqliteSortsWithHelpersOnlyWhileBuildingIndexes() throws {
        try withTestDatabase(.sqlite) { t in
            let db = try t.migrated()
            func threads() throws -> String? { try db.runAdHoc("PRAGMA threads", name: "threads").first?.values.first?.textValue }
            #expect(try threads() == "0")
            let during = try db.buildingIndexes { try threads() }
            #expect(during != "0" && during != nil)
            #expect(try threads() == "0")
            struct Stop: Error {}
            #expect(throws: Stop.self) { try db.buildingIndexes { throw Stop() } }
            #expect(try threads() == "0")
        }
    }

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

/// ISSUE 6, scenario 5: attempts are counted, and a row that keeps failing stops being retried
/// after `max_attempts`.
@Suite struct AttemptLimitTests {
    @Test(arguments: TestEngine.available)
    func aRowThatKeepsFailingStopsBeingRetried(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            let config = t.directory.appendingPathComponent("leadsync.toml")
            try Data((Corpus.config + "max_attempts = 2\n").utf8).write(to: config)
            let csv = t.directory.appendingPathComponent("captured.csv")
            try Data("external_id,first_name,last_name,company,email\nno-company,Ann,Lee,,ann@example.com\nfine,Bo,Berg,ACME,bo@example.com\n".utf8).write(to: csv)
            func cli(_ args: [String]) throws -> CLI.Result {
                try CLI.run(args + ["--database", t.url, "--config", config.path])
            }
            #expect(try cli(["migrate", "--crm-mirror"]).status == 0)
            #expect(try cli(["import", csv.path]).status == 0)
            try t.exec("INSERT INTO \"user\" (sfid, email, name, isactive) VALUES ('005000000000000001', 'crm-admin@vertrieb.example', 'Admin', \(engine == .sqlite ? "1" : "true"))")
            let first = try cli(["run", "--settle-minutes", "0"])
            #expect(first.status == 0, "\(first.stderr)")
            #expect(try t.scalar("SELECT attempts || ' ' || error_code FROM captured_contact WHERE external_id = 'no-company'") == "1 missing_company")
            #expect(try cli(["retry"]).stdout.contains("1 failed contacts are pending again"))
            #expect(try cli(["run", "--settle-minutes", "0"]).status == 0)
            #expect(try t.scalar("SELECT attempts FROM captured_contact WHERE external_id = 'no-company'") == "2")
            let refused = try cli(["retry"])
            #expect(refused.stdout.contains("0 failed contacts are pending again"), "\(refused.stdout)")
            #expect(refused.stdout.contains("1 stay failed: tried 2 times"), "\(refused.stdout)")
            #expect(try t.scalar("SELECT status FROM captured_contact WHERE external_id = 'no-company'") == "failed")
            // Put back by hand, it fails at once with its own reason instead of another attempt.
            try t.exec("UPDATE captured_contact SET status = 'pending' WHERE external_id = 'no-company'")
            #expect(try cli(["run", "--settle-minutes", "0"]).status == 0)
            #expect(try t.scalar("SELECT error_code FROM captured_contact WHERE external_id = 'no-company'") == "too_many_attempts")
            #expect(try t.scalar("SELECT attempts || ' ' || status FROM captured_contact WHERE external_id = 'fine'") == "1 exported")
        }
    }
}
