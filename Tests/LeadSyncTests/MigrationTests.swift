import Foundation
import Testing
@testable import LeadSync

/// `leadsync migrate` on both engines.
@Suite struct MigrationTests {
    /// Every migration file of both sets for the engine.
    static func migrationCount(_ engine: TestEngine) -> String {
        let e = Engine(rawValue: engine.rawValue) ?? .sqlite
        return String(SQLCatalog.migrations("migrations", engine: e).count + SQLCatalog.migrations("crm_mirror", engine: e).count)
    }

    @Test(arguments: TestEngine.available)
    func migrateTwiceChangesNothingTheSecondTime(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            let first = try CLI.run(["migrate", "--crm-mirror", "--database", t.url])
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stdout.contains("applied migrations/001_job_tables"))
            #expect(first.stdout.contains("crm_mirror/001_crm_mirror"))
            let second = try CLI.run(["migrate", "--crm-mirror", "--database", t.url])
            #expect(second.status == 0, "\(second.stderr)")
            #expect(second.stdout.contains("up to date"))
            #expect(try t.scalar("SELECT count(*) FROM schema_migration") == Self.migrationCount(engine))
            let status = try CLI.run(["status", "--database", t.url])
            #expect(status.status == 0)
            #expect(status.stdout.contains("pending"))
        }
    }

    /// Gives `t`'s crm_match_key the shape migration 008 left (one row per key, empty) and
    /// forgets migration 009, as on a database an older leadsync migrated; and migrations 013
    /// and 014, whose SQLite indexes and triggers name the key columns and the count of changes.
    static func revertMigration009(_ t: TestDatabase) throws {
        let collate = t.engine == .postgres ? " COLLATE \"C\"" : ""
        if t.engine == .sqlite {
            try t.exec("""
                DROP TRIGGER crm_match_key_indexed_insert;
                DROP TRIGGER crm_match_key_indexed_update;
                DELETE FROM schema_migration WHERE set_name = 'migrations' AND version = 14;
                DROP INDEX crm_match_key_recent_email_idx;
                DROP INDEX crm_match_key_recent_phone_idx;
                DROP INDEX crm_match_key_recent_phone2_idx;
                ALTER TABLE batch_clock DROP COLUMN keys_changed;
                """)
        }
        try t.exec("DELETE FROM schema_migration WHERE set_name = 'migrations' AND version = 13")
        try t.exec("""
            DROP INDEX crm_match_key_email_idx;
            DROP INDEX crm_match_key_phone_idx;
            DROP INDEX crm_match_key_phone2_idx;
            DELETE FROM crm_match_key;
            ALTER TABLE crm_match_key DROP COLUMN email_key;
            ALTER TABLE crm_match_key DROP COLUMN phone_key;
            ALTER TABLE crm_match_key DROP COLUMN phone2_key;
            ALTER TABLE crm_match_key ADD COLUMN kind text NOT NULL DEFAULT '';
            ALTER TABLE crm_match_key ADD COLUMN key text\(collate) NOT NULL DEFAULT '';
            CREATE INDEX crm_match_key_key_idx ON crm_match_key (key);
            DELETE FROM schema_migration WHERE set_name = 'migrations' AND version = 9;
            """)
    }

    /// A newer leadsync on a database an older one migrated: `run` stops before any row with one
    /// line that says which migration is missing and to migrate; after `migrate` it runs.
    @Test(arguments: TestEngine.available)
    func runOnAnOlderSchemaSaysToMigrateFirst(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            let config = try Corpus.load(into: t)
            try Self.revertMigration009(t)
            let args = ["run", "--settle-minutes", "0", "--database", t.url, "--config", config,
                        "--report-dir", t.directory.appendingPathComponent("reports").path]
            let refused = try CLI.run(args)
            #expect(refused.status == 1)
            #expect(refused.errorLines.count == 1, "\(refused.stderr)")
            #expect(refused.stderr.contains("missing migration 009_crm_match_key_one_row_per_record"), "\(refused.stderr)")
            #expect(refused.stderr.contains("run `leadsync migrate` first"), "\(refused.stderr)")
            #expect(try t.scalar("SELECT count(*) FROM sync_run") == "0", "no run was started")
            #expect(try t.scalar("SELECT count(*) FROM captured_contact WHERE status <> 'pending'") == "0", "no row was touched")
            let migrate = try CLI.run(["migrate", "--database", t.url])
            #expect(migrate.status == 0, "\(migrate.stderr)")
            let run = try CLI.run(args)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(try t.scalar("SELECT count(*) FROM captured_contact WHERE status = 'pending'") == "0")
        }
    }

    /// An older leadsync on a database a newer one migrated: `run` stops before any row with one
    /// line naming the migration it does not know (it would not keep what the newer version
    /// relies on, such as SQLite's count of key index changes).
    @Test(arguments: TestEngine.available)
    func runOnANewerSchemaStops(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            let config = try Corpus.load(into: t)
            try t.exec("INSERT INTO schema_migration (set_name, version, name) VALUES ('migrations', 999, '999_from_a_newer_leadsync')")
            let refused = try CLI.run(["run", "--settle-minutes", "0", "--database", t.url, "--config", config,
                                       "--report-dir", t.directory.appendingPathComponent("reports").path])
            #expect(refused.status == 1)
            #expect(refused.errorLines.count == 1, "\(refused.stderr)")
            #expect(refused.stderr.contains("newer than this leadsync (migration 999_from_a_newer_leadsync"), "\(refused.stderr)")
            #expect(try t.scalar("SELECT count(*) FROM sync_run") == "0", "no run was started")
            #expect(try t.scalar("SELECT count(*) FROM captured_contact WHERE status <> 'pending'") == "0", "no row was touched")
        }
    }

    /// Migration 005: on PostgreSQL the match keys compare byte by byte (the "C" collation), not
    /// through the database's locale; SQLite's default collation already does.
    @Test(.enabled(if: TestEngine.postgresURL != nil))
    func matchKeysCompareByteByByteOnPostgres() throws {
        try withTestDatabase(.postgres) { t in
            let migrate = try CLI.run(["migrate", "--database", t.url])
            #expect(migrate.status == 0, "\(migrate.stderr)")
            let columns = try t.rawRows("""
                SELECT a.attname AS name, c.collname AS collation FROM pg_attribute a JOIN pg_collation c ON c.oid = a.attcollation
                WHERE a.attrelid = 'crm_match_key'::regclass AND a.attname LIKE '%_key' ORDER BY 1
                """)
            #expect(columns.map { "\($0.string("name") ?? ""): \($0.string("collation") ?? "")" }
                    == ["email_key: C", "lastname_key: C", "phone2_key: C", "phone_key: C"])
        }
    }

    /// Migration 011: on PostgreSQL the key lookup indexes are hash indexes, after migrating and
    /// after the first run's full load rebuilt them; the run still finds the corpus's duplicates.
    @Test(.enabled(if: TestEngine.postgresURL != nil))
    func keyLookupIndexesAreHashIndexesOnPostgres() throws {
        try withTestDatabase(.postgres) { t in
            func methods() throws -> [String] {
                try t.rawRows("""
                    SELECT c.relname AS name, a.amname AS method FROM pg_index i
                    JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
                    WHERE i.indrelid = 'crm_match_key'::regclass ORDER BY 1
                    """).map { "\($0.string("name") ?? ""): \($0.string("method") ?? "")" }
            }
            let expected = ["crm_match_key_email_idx: hash", "crm_match_key_phone2_idx: hash",
                            "crm_match_key_phone_idx: hash", "crm_match_key_record_idx: btree"]
            let config = try Corpus.load(into: t)
            #expect(try methods() == expected)
            #expect(try t.scalar("SELECT count(*) FROM crm_match_key") == "0", "the first run keys the whole mirror")
            let run = try CLI.run(["run", "--settle-minutes", "0", "--database", t.url, "--config", config,
                                   "--report-dir", t.directory.appendingPathComponent("reports").path])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(try methods() == expected, "the full load rebuilt them as they were")
            let duplicates = try t.scalar("SELECT count(*) FROM captured_contact WHERE error_code IN ('duplicate_email', 'duplicate_phone')")
            #expect(Int(duplicates ?? "") ?? 0 > 0, "the probes found the corpus's duplicates")
        }
    }

    @Test(arguments: TestEngine.available)
    func twoMigratesAtOnceApplyEachFileOnce(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            // The SQLite file must exist first for both processes to race on it, as they would in cron.
            _ = try t.open()
            let results = try [0, 1].map { _ in
                let p = Process()
                p.executableURL = CLI.executable
                p.arguments = ["migrate", "--crm-mirror", "--database", t.url]
                p.standardOutput = FileHandle.nullDevice
                p.standardError = FileHandle.nullDevice
                try p.run()
                return p
            }
            for p in results { p.waitUntilExit() }
            #expect(results.allSatisfy { $0.terminationStatus == 0 })
            #expect(try t.scalar("SELECT count(*) FROM schema_migration") == Self.migrationCount(engine))
        }
    }

    @Test(arguments: TestEngine.available)
    func jobTablesWithoutMirror(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            let r = try CLI.run(["migrate", "--database", t.url])
            #expect(r.status == 0)
            #expect(!r.stdout.contains("crm_mirror"))
            #expect(try t.scalar("SELECT count(*) FROM captured_contact") == "0")
        }
    }

    @Test func statusBeforeMigrateSaysWhatToDo() throws {
        try withTestDatabase(.sqlite) { t in
            let r = try CLI.run(["status", "--database", t.url])
            #expect(r.status == 1)
            #expect(r.errorLines.count == 1)
            #expect(r.stderr.contains("leadsync migrate"))
        }
    }
}
