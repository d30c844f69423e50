/// A failure reported by a database, safe to print: it carries the engine's error code and the
/// query's name, never bound values or credentials.
public struct DatabaseError: Error, CustomStringConvertible, Sendable {
    /// The engine's own code for what went wrong.
    public enum Code: Sendable, Equatable, CustomStringConvertible {
        /// PostgreSQL's SQLSTATE, e.g. `23505`.
        case sqlState(String)
        /// SQLite's extended result code, e.g. 2067 (SQLITE_CONSTRAINT_UNIQUE).
        case sqlite(Int32)

        /// `23505`, or `SQLITE_CONSTRAINT (2067)`.
        public var description: String {
            switch self {
            case .sqlState(let state): return state
            case .sqlite(let rc): return "\(Self.sqliteNames[rc & 0xFF] ?? "SQLITE_\(rc & 0xFF)") (\(rc))"
            }
        }

        /// SQLite's primary result code (the extended code's low byte); nil on PostgreSQL.
        public var sqlitePrimary: Int32? {
            if case .sqlite(let rc) = self { return rc & 0xFF }
            return nil
        }

        /// The SQLSTATE's class (its first two characters); nil on SQLite.
        public var sqlStateClass: Substring? {
            if case .sqlState(let state) = self { return state.prefix(2) }
            return nil
        }

        /// The names of SQLite's primary result codes this job may meet.
        static let sqliteNames: [Int32: String] = [
            1: "SQLITE_ERROR", 2: "SQLITE_INTERNAL", 3: "SQLITE_PERM", 4: "SQLITE_ABORT", 5: "SQLITE_BUSY", 6: "SQLITE_LOCKED",
            7: "SQLITE_NOMEM", 8: "SQLITE_READONLY", 9: "SQLITE_INTERRUPT", 10: "SQLITE_IOERR", 11: "SQLITE_CORRUPT",
            13: "SQLITE_FULL", 14: "SQLITE_CANTOPEN", 18: "SQLITE_TOOBIG", 19: "SQLITE_CONSTRAINT", 20: "SQLITE_MISMATCH",
            21: "SQLITE_MISUSE", 25: "SQLITE_RANGE", 26: "SQLITE_NOTADB",
        ]
    }

    /// Which engine raised it.
    public let engine: Engine
    /// SQLSTATE on PostgreSQL, the extended result code on SQLite.
    public let code: Code
    /// Name of the SQL file or operation that failed (`captured_contact_claim`, `connect`).
    public let query: String
    /// The engine's primary message with values removed.
    public let message: String

    /// Creates an error; `message` must already be free of values and secrets.
    public init(engine: Engine, code: Code, query: String, message: String) {
        self.engine = engine
        self.code = code
        self.query = query
        self.message = message
    }

    /// One line: engine, code, query and message.
    public var description: String {
        "\(engine.displayName) error \(code) in \(query): \(message)"
    }

    /// Whether the database refused a value (too long, constraint, wrong type): the work is sound
    /// but one row's data is not, so that row alone should fail.
    public var isDataRejection: Bool {
        if let sqlState = code.sqlStateClass { return sqlState == "22" || sqlState == "23" }
        return [19, 18, 20].contains(code.sqlitePrimary)  // CONSTRAINT, TOOBIG, MISMATCH
    }

    /// The connection is gone (lost, closed by a server shutting down, or abandoned after the
    /// server stopped answering): nothing more can run on it, and a batch it was writing may or
    /// may not have committed, so the run ends rather than retrying.
    public var isConnectionGone: Bool {
        guard case .sqlState(let state) = code else { return false }
        return state.hasPrefix("08") || state == "57P01" || state == "57P02"
    }

    /// Whether the same work, done again, can succeed: the one place that decides what the job
    /// retries. A serialisation failure or deadlock (PostgreSQL 40001, 40P01) or a busy or locked
    /// database (SQLite) ends a transaction that did nothing wrong.
    public var isRetryable: Bool {
        switch code {
        case .sqlState(let state): return state == "40001" || state == "40P01"
        case .sqlite: return code.sqlitePrimary == 5 || code.sqlitePrimary == 6  // BUSY, LOCKED
        }
    }

    /// Whether a connection was refused because the server is still starting up (after a restart
    /// or a failover): connecting again shortly will work. libpq reports a refused connection
    /// without a SQLSTATE, so its message is the only sign; this is the one place that reads it.
    public var isServerStartingUp: Bool {
        engine == .postgres && (message.contains("the database system is starting up") || message.contains("not yet accepting connections"))
    }

    /// Whether the query named a table the database does not have (no `leadsync migrate` yet).
    public var isMissingTable: Bool {
        code == .sqlState("42P01") || (code.sqlitePrimary == 1 && message.contains("no such table"))
    }
}

/// The two supported engines.
public enum Engine: String, Sendable, CaseIterable {
    case postgres
    case sqlite

    /// Human name for messages.
    public var displayName: String { self == .postgres ? "PostgreSQL" : "SQLite" }
}

/// Collapses a multi-line engine message into one line and removes quoted values, so that an error
/// never prints data a row carried.
func sanitizeEngineMessage(_ raw: String, secrets: [String] = []) -> String {
    var text = raw
    for secret in secrets where !secret.isEmpty {
        text = text.replacingOccurrences(of: secret, with: "********")
    }
    let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" })
        .map { $0.trimmingCharacters(in: .whitespaces) }
        .filter { !$0.isEmpty }
    return lines.joined(separator: " ")
}
