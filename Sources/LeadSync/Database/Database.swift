import Foundation

/// One open connection to PostgreSQL or SQLite. Queries are SQL files from `sql/<engine>/` run by
/// name with named parameters; implementations prepare each once and reuse it.
public protocol Database: AnyObject {
    /// Which engine this is.
    var engine: Engine { get }
    /// The URL without its password, for messages.
    var displayURL: String { get }

    /// Runs the query file `name` (e.g. `captured_contact_claim`) with named parameters.
    @discardableResult
    func run(_ name: String, _ params: [String: SQLValue]) throws -> QueryResult

    /// Runs one statement given as text (not a file under `sql/`), unprepared: the primitive the
    /// tests read the database with. The job itself runs only named files.
    func runText(_ sql: String, name: String, _ params: [String: SQLValue]) throws -> QueryResult

    /// Runs SQL text of one or several statements without parameters (migrations, DDL).
    func executeScript(_ sql: String, name: String) throws

    /// Begins a transaction; `immediate` takes the write lock at once on SQLite.
    func begin(immediate: Bool) throws
    /// Commits the open transaction.
    func commit() throws
    /// Rolls the open transaction back; errors are ignored since the connection may be dead.
    func rollback()

    /// Loads rows into `table` in bulk: COPY on PostgreSQL, multi-row INSERTs on SQLite. Runs
    /// inside the caller's transaction.
    func bulkLoad(table: String, columns: [String], rows: [[SQLValue]]) throws

    /// Runs `body`, which builds indexes, with whatever makes that faster on this engine (SQLite:
    /// helper threads for its sorter; PostgreSQL builds in parallel workers by itself).
    func buildingIndexes<T>(_ body: () throws -> T) rethrows -> T

    /// Opens another connection to the same database with the same options (the sync job's
    /// second connection, which claims the next batch while this one writes).
    func openAnother() throws -> any Database

    /// Whether a claim locks the rows it reads until its transaction ends (PostgreSQL's
    /// `FOR UPDATE`), so a batch claimed ahead holds them; false where a claim ahead is a read in
    /// a snapshot that holds nothing (SQLite), its rows checked when they are written.
    var claimLocksRows: Bool { get }

    /// The engine's value of a boolean column (PostgreSQL `true`/`false`, SQLite 1/0).
    func boolean(_ value: Bool) -> SQLValue

    /// Whether the process that started run `id` on `host` as `pid` is gone (killed, or cut off
    /// from the database) while its run is still recorded as running. PostgreSQL: the run's
    /// session lock is free. SQLite: its process no longer exists on this host.
    func runOwnerIsGone(id: Int64, host: String?, pid: Int?) throws -> Bool

    /// Runs the query file `name` and hands each row to `body` as it is read, its values read
    /// in place (`ScanRow`): for reads of millions of keys, where building a `Row` of `String`s
    /// for each cost more than the read (SQLite; PostgreSQL reads the rows first).
    func scan(_ name: String, _ params: [String: SQLValue], _ body: (any ScanRow) throws -> Void) throws
}

/// One row as `Database.scan` hands it over, valid only during that call. Columns by position.
public protocol ScanRow {
    /// The column as an integer, nil when NULL.
    func integer(_ column: Int) -> Int64?
    /// Calls `body` with the column's text as UTF-8 bytes; nil (without calling it) when NULL.
    func withText<T>(_ column: Int, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T?
}

extension Row: ScanRow {
    /// The value at `column` as an integer, nil when NULL.
    public func integer(_ column: Int) -> Int64? { values[column].intValue }

    /// The text at `column` as UTF-8 bytes.
    public func withText<T>(_ column: Int, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T? {
        guard var text = values[column].textValue else { return nil }
        return try text.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
    }
}

extension Database {
    /// Reads the rows first (PostgreSQL).
    public func scan(_ name: String, _ params: [String: SQLValue], _ body: (any ScanRow) throws -> Void) throws {
        for row in try rows(name, params) { try body(row) }
    }

    /// Nothing to change (PostgreSQL).
    public func buildingIndexes<T>(_ body: () throws -> T) rethrows -> T { try body() }

    /// Runs `body` in a transaction, committing on success and rolling back on any error.
    /// `commit` is given the commit to run (a caller that times it wraps it).
    @discardableResult
    public func transaction<T>(immediate: Bool = true, commit: (() throws -> Void) throws -> Void = { try $0() },
                               _ body: () throws -> T) throws -> T {
        try begin(immediate: immediate)
        do {
            let value = try body()
            try commit(self.commit)
            return value
        } catch {
            rollback()
            throw error
        }
    }

    /// Runs a query and returns its rows.
    public func rows(_ name: String, _ params: [String: SQLValue] = [:]) throws -> [Row] {
        try run(name, params).rows
    }

    /// Runs a query that returns at most one row.
    public func one(_ name: String, _ params: [String: SQLValue] = [:]) throws -> Row? {
        try run(name, params).rows.first
    }
}

/// Where the database is: parsed from `--database`, `LEADSYNC_DATABASE_URL` or the default.
public enum DatabaseLocation: Sendable, Equatable {
    /// A libpq connection URI or `key=value` string, passed to libpq untouched.
    case postgres(conninfo: String)
    /// A SQLite file path (`:memory:` allowed).
    case sqlite(path: String)

    /// The default when nothing is configured: a SQLite file in the working directory.
    public static let defaultURL = "sqlite:leadsync.sqlite"

    /// Parses `sqlite:PATH`, `sqlite://PATH`, `postgres://…`, `postgresql://…` or a libpq
    /// `key=value` string.
    public init(parsing url: String) throws {
        let trimmed = url.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("sqlite://") {
            self = .sqlite(path: String(trimmed.dropFirst("sqlite://".count)))
        } else if trimmed.hasPrefix("sqlite:") {
            self = .sqlite(path: String(trimmed.dropFirst("sqlite:".count)))
        } else if trimmed.hasPrefix("postgresql://") || trimmed.hasPrefix("postgres://") || trimmed.contains("=") {
            self = .postgres(conninfo: trimmed)
        } else {
            throw UsageError("--database must be sqlite:PATH, postgresql://… or a libpq key=value string")
        }
        if case .sqlite(let path) = self, path.isEmpty {
            throw UsageError("--database sqlite: needs a file path, e.g. sqlite:leadsync.sqlite")
        }
    }
}

/// Options for opening a connection that come from the configuration, not the URL.
public struct ConnectionOptions: Sendable {
    /// PostgreSQL schema of the job's own tables.
    public var jobSchema: String = "leadsync"
    /// PostgreSQL schema of the Heroku Connect mirror.
    public var crmSchema: String = "salesforce"
    /// Seconds libpq waits to connect when the URL does not say.
    public var connectTimeoutSeconds: Int = 10
    /// Milliseconds a PostgreSQL statement may run (the server cancels it with 57014); the job
    /// also stops waiting for an answer 10 s after it, so a server that stops answering cannot
    /// hang a cron job. 0 means no limit on either. Default 10 minutes: a statement of the job
    /// touches one batch or one page and takes seconds.
    public var statementTimeoutMilliseconds: Int = 600_000
    /// Milliseconds SQLite waits on a locked database before reporting it busy.
    public var busyTimeoutMilliseconds: Int = 30_000

    /// The defaults.
    public init() {}
}

/// Opens a connection for `location`.
public func openDatabase(_ location: DatabaseLocation, options: ConnectionOptions = ConnectionOptions()) throws -> any Database {
    switch location {
    case .postgres(let conninfo):
        // A server that is starting up (after a restart or a failover) refuses connections for
        // a few seconds: nothing was written yet, so connecting is retried with jittered backoff.
        var attempt = 0
        while true {
            do {
                return try PostgresConnection(conninfo: conninfo, options: options)
            } catch let error as DatabaseError where error.isServerStartingUp && attempt < 5 {
                attempt += 1
                Thread.sleep(forTimeInterval: 0.25 * pow(2, Double(attempt)) * Double.random(in: 0.5...1.5))
            }
        }
    case .sqlite(let path):
        return try SQLiteConnection(path: path, options: options)
    }
}

/// A mistake in leadsync itself (a query file or parameter it lacks, a result it cannot read),
/// never the user's: printed as one line like any error.
public struct InternalError: Error, CustomStringConvertible, Sendable {
    /// What went wrong.
    public let description: String
    /// Creates the error with its one-line message.
    public init(_ description: String) { self.description = "internal error: " + description }
}

/// A mistake in how the command was called or configured; printed as one line.
public struct UsageError: Error, CustomStringConvertible, Sendable {
    /// What is wrong and how to fix it.
    public let description: String
    /// Creates the error with its one-line message.
    public init(_ description: String) { self.description = description }
}
