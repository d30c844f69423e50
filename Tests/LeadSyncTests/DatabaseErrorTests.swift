import Foundation
import Testing
@testable import LeadSync

/// One place decides what the job retries: the error's typed code (`DatabaseError.isRetryable`),
/// and for a refused connection, libpq's words.
@Suite struct DatabaseErrorTests {
    @Test func onlySerialisationFailuresDeadlocksAndABusyDatabaseAreRetried() {
        func pg(_ state: String) -> DatabaseError { DatabaseError(engine: .postgres, code: .sqlState(state), query: "q", message: "m") }
        func lite(_ rc: Int32) -> DatabaseError { DatabaseError(engine: .sqlite, code: .sqlite(rc), query: "q", message: "m") }
        #expect(pg("40001").isRetryable && pg("40P01").isRetryable)
        #expect(lite(5).isRetryable && lite(517).isRetryable && lite(6).isRetryable, "SQLITE_BUSY, BUSY_SNAPSHOT, LOCKED")
        for state in ["08006", "57P01", "57P03", "23505", "22001", "42P01", "XX000"] { #expect(!pg(state).isRetryable, "\(state)") }
        for rc: Int32 in [1, 19, 2067, 13, 11] { #expect(!lite(rc).isRetryable, "\(rc)") }
        #expect(pg("08006").isConnectionGone && pg("57P01").isConnectionGone && !pg("40001").isConnectionGone)
        #expect(pg("23505").isDataRejection && pg("22001").isDataRejection && lite(2067).isDataRejection && lite(18).isDataRejection)
        #expect(!pg("40001").isDataRejection && !lite(5).isDataRejection)
    }

    @Test func codesPrintAsTheEngineNamesThem() {
        #expect(DatabaseError(engine: .sqlite, code: .sqlite(2067), query: "load lead", message: "UNIQUE constraint failed").description
                == "SQLite error SQLITE_CONSTRAINT (2067) in load lead: UNIQUE constraint failed")
        #expect(DatabaseError(engine: .postgres, code: .sqlState("23505"), query: "copy lead", message: "duplicate key").description
                == "PostgreSQL error 23505 in copy lead: duplicate key")
    }

    /// libpq reports a server that is still starting up without a SQLSTATE: its message is the
    /// only sign, read in this one place (connecting is then retried).
    @Test func aServerStartingUpIsKnownByLibpqsMessage() {
        func refused(_ message: String) -> DatabaseError {
            DatabaseError(engine: .postgres, code: .sqlState("08001"), query: "connect to postgresql://u@127.0.0.1:5432/db", message: message)
        }
        #expect(refused("connection to server at \"127.0.0.1\", port 5432 failed: FATAL: the database system is starting up").isServerStartingUp)
        #expect(refused("connection to server at \"127.0.0.1\", port 5432 failed: FATAL: the database system is not yet accepting connections").isServerStartingUp)
        #expect(!refused("connection to server at \"127.0.0.1\", port 5432 failed: Connection refused").isServerStartingUp)
        #expect(!refused("FATAL: password authentication failed for user \"u\"").isServerStartingUp)
        #expect(!DatabaseError(engine: .sqlite, code: .sqlite(5), query: "q", message: "the database system is starting up").isServerStartingUp)
    }

    @Test func aMissingTableIsKnownOnBothEngines() {
        #expect(DatabaseError(engine: .postgres, code: .sqlState("42P01"), query: "q", message: "relation does not exist").isMissingTable)
        #expect(DatabaseError(engine: .sqlite, code: .sqlite(1), query: "q", message: "no such table: captured_contact").isMissingTable)
        #expect(!DatabaseError(engine: .sqlite, code: .sqlite(1), query: "q", message: "syntax error").isMissingTable)
    }
}
