import Foundation
import Synchronization
import Testing
@testable import LeadSync

/// A run of several batches claims the next batch on its second connection while the current one
/// is written (ClaimAhead): with row locks on PostgreSQL, in a snapshot on SQLite whose rows are
/// checked when the batch is written. Whatever another writer does between a claim ahead and its
/// batch's turn (forced here through the run's hooks), every row gets the outcome a single run
/// gives it, and no claim outlives its batch.
@Suite struct ClaimAheadTests {
    @Test(arguments: TestEngine.available)
    func batchesClaimedAheadGiveTheSingleRunOutcomes(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            _ = try Corpus.load(into: t)
            let claimedAhead = Mutex(0)
            let summary = try CorpusRun.run(try t.open(), batchSize: 97) { options in
                options.hooks.claimedAhead = { _, _ in claimedAhead.withLock { $0 += 1 } }
            }
            #expect(summary.read == 1998)
            #expect(claimedAhead.withLock { $0 } > 0, "the batches after the first were claimed ahead")
            try CorpusRun.expectSingleRunOutcomes(t)
            try CorpusTests().checkMirrorRows(t, expected: try Corpus.records("expected.csv"))
        }
    }

    /// On PostgreSQL a batch claimed ahead is matched ahead too, before the batch before it has
    /// committed. Here every batch waits, before its commit, until the next one is claimed and
    /// matched: each batch's match misses the batch before it and must catch up on its records
    /// (in memory), and the corpus has duplicates in neighbouring batches. On SQLite batches are
    /// matched under the write lock, and the outcomes are the same.
    @Test(arguments: TestEngine.available)
    func aBatchMatchedBeforeTheBatchBeforeItCommittedCatchesUpOnIt(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            _ = try Corpus.load(into: t)
            let claimed = DispatchSemaphore(value: 0)
            let timedOut = Mutex(false)
            // 1,998 rows in batches of 97: batches 0 to 20, each but the first claimed ahead.
            let summary = try CorpusRun.run(try t.open(), batchSize: 97) { options in
                options.hooks.claimedAhead = { _, _ in claimed.signal() }
                options.hooks.beforeCommit = { batch in
                    guard batch < 20 else { return }
                    if claimed.wait(timeout: .now() + 60) == .timedOut { timedOut.withLock { $0 = true } }
                }
            }
            #expect(!timedOut.withLock { $0 }, "every batch but the last had the next claimed ahead")
            #expect(summary.read == 1998)
            try CorpusRun.expectSingleRunOutcomes(t)
        }
    }

    /// Another process commits a Contact with the email of a row of the run's third batch after
    /// that batch was claimed (and, on PostgreSQL, matched) ahead and before its turn: the batch
    /// must not keep its match, and the row fails as that Contact's duplicate.
    @Test(arguments: TestEngine.available)
    func anotherProcessesRecordBetweenAClaimAheadAndItsTurnIsFound(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            _ = try Corpus.load(into: t)
            let (row, key) = try CorpusRun.exportedRowWithEmail(t, batch: 2)
            let rowID = try #require(Int64(try t.scalar("SELECT id FROM captured_contact WHERE external_id = '\(row)'") ?? ""))
            let written = Mutex(false)
            let summary = try CorpusRun.run(try t.open(), batchSize: 97) { options in
                options.hooks.claimedAhead = { first, last in
                    guard (first...last).contains(rowID) else { return }
                    do {
                        try t.exec("""
                            BEGIN;
                            INSERT INTO contact (id, sfid, lastname, email) VALUES (900001, '003OTHERPROCESS001', 'Other', '\(key)');
                            INSERT INTO crm_match_key (crm_object, crm_id, sfid, email_key, lastname_key, priority)
                                VALUES ('contact', 900001, '003OTHERPROCESS001', '\(key)', 'other', 1);
                            COMMIT;
                            """)
                        written.withLock { $0 = true }
                    } catch {
                        Issue.record("the other process's batch failed: \(error)")
                    }
                }
            }
            #expect(written.withLock { $0 })
            #expect(summary.read == 1998)
            let outcome = try Corpus.outcomes(t)[row]
            #expect(outcome?["status"] == "failed")
            #expect(outcome?["error_code"] == "duplicate_email")
            #expect(outcome?["duplicate_of"] == "003OTHERPROCESS001")
        }
    }

    /// A limit ends the run: rows claimed ahead beyond it stay pending, the claim lock is free,
    /// and the next run takes every row the first left, with a single run's outcomes.
    @Test(arguments: TestEngine.available)
    func aLimitEndsTheRunAndTheRowsClaimedAheadStayPending(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            _ = try Corpus.load(into: t)
            let db = try t.open()
            let first = try CorpusRun.run(db, batchSize: 100, limit: 250)
            #expect(first.read == 250)
            #expect(try t.scalar("SELECT count(*) FROM captured_contact WHERE status = 'pending'") == "1748")
            #expect(try CorpusRun.claimLockIsFree(t))
            let rest = try CorpusRun.run(db, batchSize: 437)
            #expect(rest.read == 1748)
            try CorpusRun.expectSingleRunOutcomes(t)
        }
    }

    /// An import changes a row of the batch claimed ahead after its claim and before its turn.
    /// SQLite: the batch's outcome write finds the row changed, and the batch is claimed again,
    /// so the mirror gets the imported value. PostgreSQL: the claim holds the row's lock, so the
    /// import waits until the batch has exported the row, and then leaves it alone. Either way
    /// the mirror holds what the captured row holds, and the import said what it did.
    @Test(arguments: TestEngine.available)
    func anImportAfterAClaimAheadIsNeverLost(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            _ = try Corpus.load(into: t)
            let (changed, _) = try CorpusRun.exportedRowWithEmail(t, batch: 1)
            let file = t.directory.appendingPathComponent("update.csv")
            try Data("external_id,notes\n\(changed),changed after the claim ahead\n".utf8).write(to: file)
            let imported = Mutex<ImportSummary?>(nil)
            let importer = Mutex<Background<Void>?>(nil)
            let summary = try CorpusRun.run(try t.open(), batchSize: 97) { options in
                options.hooks.claimedAhead = { first, last in
                    guard importer.withLock({ $0 == nil }) else { return }
                    // On SQLite the import waits for the first batch's commit, then commits before
                    // the second batch takes the write lock (the run waits for this hook). On
                    // PostgreSQL it waits for the second batch's row locks: it runs beside the run.
                    let work = Background {
                        let result = try? CSVImporter(db: try t.open()).importFile(path: file.path)
                        imported.withLock { $0 = result }
                    }
                    importer.withLock { $0 = work }
                    if engine == .sqlite { work.wait() }
                }
            }
            _ = importer.withLock { $0 }?.wait()
            #expect(summary.read == 1998)
            let result = try #require(imported.withLock { $0 })
            let stored = try t.scalar("SELECT coalesce(notes, '') FROM captured_contact WHERE external_id = '\(changed)'")
            let written = try t.scalar("SELECT coalesce(description, '') FROM lead WHERE leadsync_id__c = '\(changed)'")
            #expect(written == stored, "the mirror holds what the captured row holds")
            if engine == .sqlite {
                #expect(result.updated == 1)
                #expect(written == "changed after the claim ahead")
            } else {
                #expect(result.unchanged == 1, "the import came after the export and left the row alone")
            }
            try CorpusRun.expectSingleRunOutcomes(t)
        }
    }

    /// Another process's run takes rows while this run's next batch is claimed ahead (forced here:
    /// it runs from the hook, after the claim ahead read its rows). SQLite: that batch's rows
    /// were processed by the other run meanwhile, so its outcome write finds them changed and it
    /// is claimed again. PostgreSQL: the other run skips the locked rows. Together the two runs
    /// give the outcomes of one, with no row processed twice.
    @Test(arguments: TestEngine.available)
    func anotherRunBetweenAClaimAheadAndItsTurnTakesNoRowTwice(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            _ = try Corpus.load(into: t)
            let other = Mutex<Background<Result<SyncSummary, any Error>>?>(nil)
            let summary = try CorpusRun.run(try t.open(), batchSize: 97) { options in
                options.hooks.claimedAhead = { _, _ in
                    guard other.withLock({ $0 == nil }) else { return }
                    let run = Background { Result { try CorpusRun.run(try t.open(), batchSize: 150, limit: 300) } }
                    other.withLock { $0 = run }
                    // SQLite: the other run writes between this run's first and second batch.
                    // PostgreSQL: it waits for the claim lock this claim holds, so it runs beside.
                    if engine == .sqlite { _ = run.wait() }
                }
            }
            let otherSummary = try #require(other.withLock { $0 }?.wait()).get()
            #expect(summary.read + otherSummary.read == 1998, "every row read once: \(summary.read) + \(otherSummary.read)")
            #expect(otherSummary.read > 0)
            try CorpusRun.expectSingleRunOutcomes(t)
        }
    }

    /// A transient error (here a serialisation failure the mirror raises once, on the first
    /// batch's COPY) while a batch claimed ahead is waiting: both are rolled back, the failed
    /// batch is claimed again, and the run ends with the single-run outcomes.
    @Test(.enabled(if: TestEngine.postgresURL != nil))
    func aTransientErrorIsRetriedWithTheBatchClaimedAgain() throws {
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
            let summary = try CorpusRun.run(try t.open(), batchSize: 97)
            #expect(summary.read == 1998)
            #expect(try t.scalar("SELECT last_value FROM leadsync_test_fail_once") != "1", "the COPY ran again after failing")
            try CorpusRun.expectSingleRunOutcomes(t)
        }
    }

    /// A claim ahead starts after the batch being written, so it passes rows before that batch.
    /// Here another session holds the first row in processing order (as another process's batch
    /// would) until the run's first batch is being written, then gives it back. The run must
    /// still take it: the last claim ahead comes back short and claims again from the start.
    @Test(.enabled(if: TestEngine.postgresURL != nil))
    func aRowAnotherProcessGivesBackIsTakenInTheSameRun() throws {
        try withTestDatabase(.postgres) { t in
            _ = try Corpus.load(into: t)
            let first = try #require(try t.scalar("SELECT external_id FROM captured_contact ORDER BY captured_at, id LIMIT 1"))
            let holder = SerializedConnection(try t.open())
            try holder.sync { db in
                try db.begin(immediate: true)
                _ = try db.runText("SELECT id FROM captured_contact WHERE external_id = :id FOR UPDATE", name: "hold_row", ["id": .text(first)])
            }
            let summary = try CorpusRun.run(try t.open(), batchSize: 97) { options in
                options.hooks.beforeMatch = { _ in holder.sync { $0.rollback() } }
            }
            #expect(summary.read == 1998)
            #expect(try t.scalar("SELECT status FROM captured_contact WHERE external_id = '\(first)'") != "pending")
            #expect(try t.scalar("SELECT count(*) FROM captured_contact WHERE status = 'pending'") == "0")
            #expect(try CorpusRun.claimLockIsFree(t))
        }
    }

    /// `push` stages its ids in a temporary table that only the run's first connection sees: its
    /// batches are never claimed on the second one. Rows that fail again are not taken again.
    @Test(arguments: TestEngine.available)
    func aPushOfSeveralBatchesStaysOnItsConnection(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            _ = try Corpus.load(into: t)
            let ids = (1...9).map { String(format: "ext-%06d", $0) }
            let claimedAhead = Mutex(0)
            // A run that took failed rows again would go on until the limit (it went on for ever).
            let summary = try CorpusRun.run(try t.open(), .push, batchSize: 2, limit: 50, pushIDs: ids) { options in
                options.hooks.claimedAhead = { _, _ in claimedAhead.withLock { $0 += 1 } }
            }
            #expect(summary.read == 9)
            #expect(summary.notProcessed.isEmpty)
            #expect(claimedAhead.withLock { $0 } == 0)
            try CorpusRun.expectSingleRunOutcomes(t, only: Set(ids))
        }
    }
}
