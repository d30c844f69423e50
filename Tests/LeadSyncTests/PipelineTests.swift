import Foundation
import Synchronization
import Testing
@testable import LeadSync

/// A run claims the next batch on a second connection while the current batch is written
/// (BatchPipeline): with row locks on PostgreSQL, in a snapshot checked under the write lock on
/// SQLite. Either way every row gets the outcome SYNC_RULES.md gives it, and no claim outlives
/// its batch.
@Suite struct PipelineTests {
    /// A run of `mode` over the corpus in batches of `batchSize`.
    /// `progress` is called after each committed batch, as backfill's progress line is.
    static func run(_ db: any Database, _ mode: SyncOptions.Mode = .run, batchSize: Int, limit: Int? = nil,
                    pushIDs: [String] = [], progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> SyncSummary {
        var options = SyncOptions(mode: mode)
        options.settleMinutes = 0
        options.batchSize = batchSize
        options.limit = limit
        options.pushIDs = pushIDs
        options.progress = progress
        return try SyncJob(db: db, config: try Configuration.parse(Corpus.config, file: "corpus.toml")).run(options)
    }

    /// Whether another session can take the claim lock: a batch that kept it would stop every
    /// other process's claims.
    static func claimLockIsFree(_ t: TestDatabase) throws -> Bool {
        guard t.engine == .postgres else { return true }
        return try t.scalar("SELECT pg_try_advisory_lock(\(JobLock.claim.rawValue))") == "t"
    }

    /// Every row (or every row of `only`) has the outcome expected.csv gives it, no record was
    /// written twice, and the claim lock is free.
    static func expectSingleRunOutcomes(_ t: TestDatabase, only: Set<String>? = nil) throws {
        let actual = try Corpus.outcomes(t)
        let expected = try Corpus.records("expected.csv").filter { only?.contains($0["external_id"] ?? "") ?? true }
        #expect(expected.count == only?.count ?? 1998)
        let mismatches = expected.filter { e in
            let a = actual[e["external_id"] ?? ""] ?? [:]
            return ["status", "error_code", "crm_object", "ownerid", "owner_source", "duplicate_of"].contains { a[$0] != e[$0] }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) rows differ, e.g. \(mismatches.prefix(3))")
        #expect(try t.scalar("SELECT count(leadsync_id__c) - count(DISTINCT leadsync_id__c) FROM lead") == "0")
        #expect(try claimLockIsFree(t))
    }

    /// A row of the corpus's second batch of 97 (rows 98 to 194 in processing order) that would
    /// be exported, with an email: its external id and email key, with the rows expected to be
    /// exported and every external id in processing order.
    static func secondBatchRowWithEmail(_ t: TestDatabase) throws -> (row: String, key: String, exported: Set<String>, order: [String]) {
        let exported = Set(try Corpus.records("expected.csv").filter { $0["status"] == "exported" }.compactMap { $0["external_id"] })
        let order = try t.rawRows("SELECT external_id, email FROM captured_contact ORDER BY captured_at, id")
            .map { ($0.string("external_id") ?? "", MatchKeys.email($0.string("email"))) }
        let (row, email) = try #require(order[97..<194].first { exported.contains($0.0) && $0.1 != nil })
        return (row, try #require(email), exported, order.map(\.0))
    }

    @Test(arguments: TestEngine.available)
    func batchesClaimedAheadGiveTheSingleRunOutcomes(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            _ = try Corpus.load(into: t)
            let db = try t.open()
            let summary = try Self.run(db, batchSize: 97)
            // 1,998 rows: 20 full batches of 97, each followed by a claim ahead, then 58 rows.
            #expect(summary.read == 1998)
            #expect(summary.batchesClaimedAhead == 20)
            // Each decided while the batch before it was written (matched before or after that
            // batch committed).
            #expect(summary.batchesDecidedAhead == 20)
            try Self.expectSingleRunOutcomes(t)
            // The mirror rows as the mapping gives them, also those built ahead (PostgreSQL).
            try CorpusTests().checkMirrorRows(t, expected: try Corpus.records("expected.csv"))
            // On PostgreSQL a batch decided ahead draws its new records' ids ahead too, and
            // writes with those: none is drawn twice, so the serials have no gap.
            if engine == .postgres {
                for object in ["lead", "contact"] {
                    #expect(try t.scalar("""
                        SELECT (SELECT max(id) - min(id) + 1 - count(*) FROM \(object) WHERE leadsync_id__c IS NOT NULL)
                             + (SELECT last_value FROM \(object)_id_seq) - (SELECT max(id) FROM \(object))
                        """) == "0", "\(object) ids drawn and not written")
                }
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func aLimitEndsTheRunAndTheRowsClaimedAheadStayPending(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            _ = try Corpus.load(into: t)
            let db = try t.open()
            // Batches of 100, 100 and 50; the 50 are claimed ahead while the second batch writes.
            let first = try Self.run(db, batchSize: 100, limit: 250)
            #expect(first.read == 250)
            #expect(first.batchesClaimedAhead == 2)
            #expect(try t.scalar("SELECT count(*) FROM captured_contact WHERE status = 'pending'") == "1748")
            #expect(try Self.claimLockIsFree(t))
            // The next run takes every row the first left, with the outcomes of a single run: four
            // full batches of 437, then an empty one claimed ahead on the run's first connection,
            // which must give the claim lock back too.
            let rest = try Self.run(db, batchSize: 437)
            #expect(rest.read == 1748)
            #expect(rest.batchesClaimedAhead == 4)
            try Self.expectSingleRunOutcomes(t)
        }
    }

    /// A transient error (here a serialisation failure the mirror raises once, on the first
    /// batch's COPY) while a batch claimed ahead is waiting: both are rolled back, the failed
    /// batch is done again the sequential way, and the run ends with the single-run outcomes.
    @Test(.enabled(if: TestEngine.postgresURL != nil))
    func aTransientErrorHandsTheBatchToTheRetryingPath() throws {
        try withTestDatabase(.postgres) { t in
            _ = try Corpus.load(into: t)
            try t.exec("""
                CREATE SEQUENCE leadsync_test_fail_once;
                CREATE FUNCTION leadsync_test_fail_once() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    -- nextval is not rolled back with the batch: only the first COPY fails.
                    IF nextval('leadsync_test_fail_once') = 1 THEN
                        RAISE EXCEPTION 'could not serialize access' USING ERRCODE = '40001';
                    END IF;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER leadsync_test_fail_once BEFORE INSERT ON lead
                    FOR EACH STATEMENT EXECUTE FUNCTION leadsync_test_fail_once();
                """)
            let db = try t.open()
            let summary = try Self.run(db, batchSize: 97)
            #expect(summary.read == 1998)
            #expect(try t.scalar("SELECT last_value FROM leadsync_test_fail_once") != "1", "the COPY ran again after failing")
            // The first batch went the sequential way; every later full batch was claimed ahead.
            #expect(summary.batchesClaimedAhead == 19)
            try Self.expectSingleRunOutcomes(t)
        }
    }

    /// A batch claimed ahead is matched while the batch before it is written, so it misses that
    /// batch's records; when nothing else committed in between, it catches up on them from the
    /// records that batch wrote, in memory. The mirror inserts are slowed down here (PostgreSQL
    /// sleeps 0.1 s per statement; SQLite counts to 5,000 per row), so each batch claimed ahead
    /// is matched before the batch before it commits, and must catch up on it: the outcomes must
    /// still be a single run's (the corpus has duplicates in neighbouring batches).
    @Test(arguments: TestEngine.available)
    func aBatchCatchesUpInMemoryOnTheBatchBeforeIt(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            _ = try Corpus.load(into: t)
            if engine == .postgres {
                try t.exec("""
                    CREATE FUNCTION leadsync_test_slow_write() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        PERFORM pg_sleep(0.1);
                        RETURN NULL;
                    END $$;
                    CREATE TRIGGER leadsync_test_slow_write AFTER INSERT ON lead
                        FOR EACH STATEMENT EXECUTE FUNCTION leadsync_test_slow_write();
                    """)
            } else {
                try t.exec("""
                    CREATE TABLE leadsync_test_slow (n integer);
                    CREATE TRIGGER leadsync_test_slow_write AFTER INSERT ON lead BEGIN
                        INSERT INTO leadsync_test_slow
                        SELECT count(*) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5000) SELECT x FROM c);
                    END;
                    """)
            }
            let summary = try Self.run(try t.open(), batchSize: 97)
            #expect(summary.read == 1998)
            #expect(summary.batchesClaimedAhead == 20)
            // Every batch claimed ahead (the first batch was matched with nothing before it),
            // each decided on its claim's thread while the batch before it was written.
            #expect(summary.batchesCaughtUpInMemory == 20)
            #expect(summary.batchesDecidedAhead == 20)
            try Self.expectSingleRunOutcomes(t)
        }
    }

    /// A batch claimed ahead is decided on its claim's thread while the batch before it is
    /// written, and keeps those decisions only if that batch alone committed since its match.
    /// Here another process commits a Contact with the email of a row of the second batch, after
    /// the first batch and before the second takes its turn: that row must fail as its duplicate.
    @Test(arguments: TestEngine.available)
    func aBatchDecidedAheadIsDecidedAgainWhenAnotherProcessWroteMeanwhile(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            _ = try Corpus.load(into: t)
            let (row, key, exported, order) = try Self.secondBatchRowWithEmail(t)
            let written = Mutex(false)
            let summary = try Self.run(try t.open(), batchSize: 97) { done, _ in
                guard done == 97 else { return }
                // The second batch was claimed before the first was written, and decided once the
                // first had drawn its ids: it is decided by now.
                Thread.sleep(forTimeInterval: 1.0)
                // Another process's batch: the batch clock, a new record and its keys (on SQLite
                // pending, as a batch writes them there: migration 012).
                do {
                    try t.exec("""
                        BEGIN;
                        UPDATE batch_clock SET seq = seq + 1 WHERE id = 1;
                        INSERT INTO contact (id, sfid, lastname, email) VALUES (900001, '003OTHERPROCESS001', 'Other', '\(key)');
                        INSERT INTO crm_match_key (crm_object, crm_id, sfid, email_key, lastname_key, priority, batch_seq\(engine == .sqlite ? ", pending" : ""))
                            VALUES ('contact', 900001, '003OTHERPROCESS001', '\(key)', 'other', 1, (SELECT seq FROM batch_clock WHERE id = 1)\(engine == .sqlite ? ", 1" : ""));
                        COMMIT;
                        """)
                    written.withLock { $0 = true }
                } catch {
                    Issue.record("the other process's batch failed: \(error)")
                }
            }
            #expect(written.withLock { $0 })
            #expect(summary.read == 1998)
            let outcome = try Corpus.outcomes(t)[row]
            #expect(outcome?["status"] == "failed")
            #expect(outcome?["error_code"] == "duplicate_email")
            #expect(outcome?["duplicate_of"] == "003OTHERPROCESS001")
            // Every later batch was decided ahead; the second was decided again (PostgreSQL) or,
            // on SQLite, claimed again under the write lock.
            #expect(summary.batchesDecidedAhead == 19)
            try Self.expectSingleRunOutcomes(t, only: exported.union(Set(order)).subtracting([row]))
        }
    }

    /// The catch-up query (batch_match_since) finds, for a batch's email and phone keys, the
    /// records keyed above the batch clock's value at its match, in each key column, and none
    /// keyed before. On SQLite the run never needs it (it matches again under the lock), so this
    /// is what keeps its statement right.
    @Test(arguments: TestEngine.available)
    func theCatchUpFindsEachKeyColumnStampedAfterTheMatch(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            let db = try t.migrated()
            try t.exec("""
                INSERT INTO crm_match_key (crm_object, crm_id, sfid, email_key, phone_key, phone2_key, lastname_key, priority, batch_seq) VALUES
                    ('lead', 1, 'L1', 'ann@x.example', NULL, NULL, 'alpha', 2, 5),
                    ('lead', 2, 'L2', NULL, '+49301234567', NULL, 'alpha', 2, 3),
                    ('contact', 3, 'C3', 'other@x.example', '+49301111111', '+49301234567', 'alpha', 1, 6),
                    ('lead', 4, 'L4', 'ann@x.example', NULL, NULL, 'beta', 2, NULL);
                """)
            let keys: [[SQLValue]] = [[.integer(10), "e", "ann@x.example", "alpha"], [.integer(10), "p", "+49301234567", "alpha"],
                                      [.integer(11), "p", "+49301111111", "gamma"]]
            var params: [String: SQLValue] = ["after_seq": .integer(4), "run_started_at": "2026-11-20T00:00:00Z"]
            if engine == .postgres {
                try db.begin(immediate: true)
                try db.run("batch_key_stage", [:])
                try db.bulkLoad(table: "batch_key", columns: ["row_id", "kind", "key", "lastname_key"], rows: keys)
            } else {
                let json = { (kind: String) in
                    "[" + keys.filter { $0[1] == .text(kind) }.map { "[\($0[0].textValue ?? ""),\"\(kind)\",\"\($0[2].textValue ?? "")\",\"\($0[3].textValue ?? "")\"]" }
                        .joined(separator: ",") + "]"
                }
                params["email_keys"] = .text(json("e"))
                params["phone_keys"] = .text(json("p"))
            }
            let found = try db.rows("batch_match_since", params).map {
                "\($0.int("row_id") ?? 0) \($0.string("kind") ?? "") \($0.string("sfid") ?? "") \(isTrue($0["same_person"]))"
            }
            #expect(found.sorted() == ["10 e L1 true", "10 p C3 true", "11 p C3 false"])
            db.rollback()
        }
    }

    /// A claim ahead starts after the batch being written, so it passes rows before that batch.
    /// Here another session holds the first row in processing order (as another process's batch
    /// would) until the run's first batch has committed, then gives it back. The run must still
    /// take it: the last claim ahead comes back short and claims again from the start.
    @Test(.enabled(if: TestEngine.postgresURL != nil))
    func aRowAnotherProcessGivesBackIsTakenInTheSameRun() throws {
        try withTestDatabase(.postgres) { t in
            _ = try Corpus.load(into: t)
            let first = try #require(try t.scalar("SELECT external_id FROM captured_contact ORDER BY captured_at, id LIMIT 1"))
            let holder = Unchecked(try t.open())
            try holder.value.begin(immediate: true)
            _ = try holder.value.runAdHoc("SELECT id FROM captured_contact WHERE external_id = :id FOR UPDATE", name: "hold_row", ["id": .text(first)])
            let givenBack = Mutex(false)
            let summary = try Self.run(try t.open(), batchSize: 97) { done, _ in
                guard done == 97 else { return }
                holder.value.rollback()
                givenBack.withLock { $0 = true }
            }
            #expect(givenBack.withLock { $0 })
            #expect(summary.read == 1998)
            #expect(try t.scalar("SELECT status FROM captured_contact WHERE external_id = '\(first)'") != "pending")
            #expect(try t.scalar("SELECT count(*) FROM captured_contact WHERE status = 'pending'") == "0")
            #expect(try Self.claimLockIsFree(t))
        }
    }

    /// The catch-up in memory gives a written record the systemmodstamp PostgreSQL shows for it,
    /// so it ranks against records read from the database as they rank among themselves. The
    /// job's sessions show timestamps in ISO whatever the database's default: candidates are
    /// ranked by systemmodstamp as text (CRMMatch.ranks), which is time order only in ISO ("SQL,
    /// DMY" shows 31 January as "31/01/2026", after 1 February).
    @Test(.enabled(if: TestEngine.postgresURL != nil))
    func aWrittenTimestampReadsBackAsTheCatchUpShowsIt() throws {
        try withTestDatabase(.postgres) { t in
            // A server whose default shows dates another way: the job's connection sets ISO.
            try t.exec("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET DateStyle = ''SQL, DMY''', current_database()); END $$")
            let db = try t.open()
            for millis in [0.0, 0.1, 0.12, 0.123, 0.999] {
                let stored = Timestamp.format(Date(timeIntervalSince1970: 1_796_000_000 + millis + 0.0001))
                let shown = try db.runAdHoc("SELECT CAST(CAST(:stored AS text) AS timestamp) AS t", name: "timestamp_shown",
                                            ["stored": .text(stored)]).first?.string("t")
                #expect(shown == Timestamp.postgresText(stored), "\(stored)")
            }
            let dates = try db.runAdHoc("SELECT CAST('2026-01-31T10:00:00Z' AS timestamp) AS a, CAST('2026-02-01T09:00:00Z' AS timestamp) AS b",
                                        name: "dates").first
            let match = { (stamp: String?) in
                CRMMatch(Row(columns: ["kind", "crm_object", "crm_id", "priority", "systemmodstamp"],
                             values: [.text("e"), .text("lead"), .integer(1), .integer(2), stamp.map(SQLValue.text) ?? .null]))
            }
            let newer = match(dates?.string("b")), older = match(dates?.string("a"))
            #expect(newer.ranks(before: older), "the newer record ranks first")
        }
    }

    /// SQLite reads the batch claimed ahead in a snapshot while the batch before it is written.
    /// An import that changes one of its rows in between makes the run claim that batch again
    /// under the write lock: the mirror gets the imported value, not the one read ahead.
    /// (PostgreSQL needs no such test: there the claim ahead locks its rows, and the import waits.)
    @Test func anImportBetweenTwoBatchesIsWhatGetsExported() throws {
        try withTestDatabase(.sqlite) { t in
            _ = try Corpus.load(into: t)
            let leads = Set(try Corpus.records("expected.csv").filter { $0["status"] == "exported" && $0["crm_object"] == "lead" }
                .compactMap { $0["external_id"] })
            let order = try t.rawRows("SELECT external_id FROM captured_contact ORDER BY captured_at, id").compactMap { $0.string("external_id") }
            // A row of the second batch (rows 98 to 194) that becomes a lead.
            let changed = try #require(order[97..<194].first { leads.contains($0) })
            let file = t.directory.appendingPathComponent("update.csv")
            try Data("external_id,notes\n\(changed),changed by an import between two batches\n".utf8).write(to: file)
            let imported = Mutex(false)
            let summary = try Self.run(try t.open(), batchSize: 97) { done, _ in
                guard done == 97 else { return }
                // The claim ahead started before the first batch was written: it has read the
                // second batch by now.
                Thread.sleep(forTimeInterval: 1.0)
                let summary = try? CSVImporter(db: try t.open()).importFile(path: file.path)
                imported.withLock { $0 = summary?.updated == 1 }
            }
            #expect(imported.withLock { $0 })
            #expect(summary.read == 1998)
            // The second batch was claimed again under the write lock; every later one stood.
            #expect(summary.batchesClaimedAhead == 19)
            #expect(try t.scalar("SELECT description FROM lead WHERE leadsync_id__c = '\(changed)'") == "changed by an import between two batches")
            try Self.expectSingleRunOutcomes(t)
        }
    }

    /// SQLite: the claim ahead ends its read once it has the rows. A snapshot held while the
    /// other connection writes keeps SQLite from reusing its write-ahead log, which then grew by
    /// the whole run (1 GB for a million rows). Between batches, a checkpoint must empty the log.
    @Test func aClaimAheadHoldsNoSnapshotBetweenBatches() throws {
        try withTestDatabase(.sqlite) { t in
            _ = try Corpus.load(into: t)
            let checkpoints = Mutex<[String]>([])
            let summary = try Self.run(try t.open(), batchSize: 97) { done, _ in
                guard done <= 97 * 3 else { return }
                // The claim ahead started before the batch was written: it has its rows by now.
                Thread.sleep(forTimeInterval: 1.0)
                let row = try? t.rawRows("PRAGMA wal_checkpoint(TRUNCATE)").first
                checkpoints.withLock { $0.append([row?.string("busy"), row?.string("log"), row?.string("checkpointed")].map { $0 ?? "nil" }.joined(separator: " ")) }
            }
            #expect(summary.batchesClaimedAhead == 20)
            // busy 0: nothing kept the log from being emptied (0 frames left in it).
            #expect(checkpoints.withLock { $0 } == ["0 0 0", "0 0 0", "0 0 0"])
        }
    }

    /// `push` stages its ids in a temporary table that only the run's first connection sees: its
    /// batches are never claimed on the second one. Rows that fail again are not taken again.
    @Test(arguments: TestEngine.available)
    func aPushOfSeveralBatchesStaysOnItsConnection(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            _ = try Corpus.load(into: t)
            let db = try t.open()
            let ids = (1...9).map { String(format: "ext-%06d", $0) }
            // A run that took failed rows again would go on until the limit (it went on for ever).
            let summary = try Self.run(db, .push, batchSize: 2, limit: 50, pushIDs: ids)
            #expect(summary.read == 9)
            #expect(summary.notProcessed.isEmpty)
            #expect(summary.batchesClaimedAhead == 0)
            try Self.expectSingleRunOutcomes(t, only: Set(ids))
        }
    }
}
