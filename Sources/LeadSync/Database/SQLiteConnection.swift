import CSQLite
import Foundation

/// A sqlite3 connection in WAL mode with a busy timeout; each query file is prepared once
/// (persistent) and reset after use.
public final class SQLiteConnection: Database {
    /// Always `.sqlite`.
    public let engine = Engine.sqlite
    /// `sqlite:PATH`.
    public let displayURL: String
    let db: OpaquePointer
    private var statements: [String: (OpaquePointer, NamedParameters)] = [:]
    /// `bulkLoad`'s INSERTs, by table, columns and rows per statement.
    private var inserts: [String: OpaquePointer] = [:]
    /// The text of the values bound last (see `bind`).
    private let scratch = BindBuffer()
    /// What it was opened with, for `openAnother`.
    private let path: String
    private let options: ConnectionOptions

    /// Opens (creating when absent) the file at `path`.
    public init(path: String, options: ConnectionOptions) throws {
        _ = Self.processSetup
        displayURL = "sqlite:\(path)"
        self.path = path
        self.options = options
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &handle, flags, nil)
        guard rc == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_close_v2(handle)
            throw DatabaseError(engine: .sqlite, code: .sqlite(rc), query: "open \(displayURL)", message: message)
        }
        db = handle
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, Int32(options.busyTimeoutMilliseconds))
        // From here deinit closes the handle if setup throws.
        // The log checkpointed every 20,000 pages (80 MiB; SQLite's default is 1,000). Keys that
        // arrive in no particular order, as real addresses and numbers do, land on a different
        // leaf of each key index almost every one: a batch of 5,000 rows dirties some 13,000
        // pages, and each checkpoint copies every page written since the last one back into the
        // database; a page written by several batches between two checkpoints is copied once.
        // Warm 1M runs in turn on such keys (2026-12-02): 42.7, 45.4, 43.7, 46.9 s with the
        // default, 37.2, 37.5, 36.3, 37.9 s with this; on keys in index order no difference
        // (16.9, 15.7, 15.2 against 15.6, 15.3, 17.1 s); memory the same. A larger page cache
        // (16-64 MiB) added nothing to it and took 50-140 MB more.
        try executeScript("""
            PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;
            PRAGMA wal_autocheckpoint = 20000
            """, name: "session_setup")
    }

    /// SQLite's process-wide set-up, once before the first connection (`leadsync_sqlite3_configure`:
    /// no memory statistics); SQLITE_OK when it took effect.
    static let processSetup: Int32 = leadsync_sqlite3_configure()

    /// Another connection to the same file with the same options.
    public func openAnother() throws -> any Database { try SQLiteConnection(path: path, options: options) }

    /// A claim ahead is a read in a snapshot: SQLite has one writer at a time and no row locks.
    public var claimLocksRows: Bool { false }

    /// Booleans are integers.
    public func boolean(_ value: Bool) -> SQLValue { .integer(value ? 1 : 0) }

    /// A run is abandoned when it was started on this host by a process that no longer exists
    /// (SQLite has no session to outlive it; a run on another host is never judged from here).
    public func runOwnerIsGone(id: Int64, host: String?, pid: Int?) throws -> Bool {
        guard host == ProcessInfo.processInfo.hostName, let pid else { return false }
        return kill(pid_t(pid), 0) != 0 && errno == ESRCH
    }

    /// With helper threads for SQLite's external sorter, one per further core, which then sorts a
    /// large CREATE INDEX in parallel (a full key load's indexes, 2.5M keys: the email index
    /// 0.69-0.88 s on its own thread, 0.51-0.55 s with one or two helpers on a 2-core machine).
    /// Only for the index builds: the batches' small sorts gained nothing from them.
    public func buildingIndexes<T>(_ body: () throws -> T) rethrows -> T {
        let helpers = Int32(max(1, ProcessInfo.processInfo.activeProcessorCount - 1))
        let before = sqlite3_limit(db, SQLITE_LIMIT_WORKER_THREADS, helpers)
        defer { sqlite3_limit(db, SQLITE_LIMIT_WORKER_THREADS, before) }
        return try body()
    }

    deinit {
        for (statement, _) in statements.values { sqlite3_finalize(statement) }
        for statement in inserts.values { sqlite3_finalize(statement) }
        sqlite3_close_v2(db)
    }

    /// A buffer that only grows, for the bytes of bound text. Freed with the connection, after
    /// its statements.
    private final class BindBuffer {
        private var base = UnsafeMutablePointer<CChar>.allocate(capacity: 4096)
        private var capacity = 4096

        /// Room for `count` bytes, at an address that is never nil (empty text needs one too).
        func reserve(_ count: Int) -> UnsafeMutablePointer<CChar> {
            if count > capacity {
                base.deallocate()
                capacity = Swift.max(count, capacity * 2)
                base = .allocate(capacity: capacity)
            }
            return base
        }

        deinit { base.deallocate() }
    }

    /// Runs a named query with its bound values and returns typed rows.
    @discardableResult
    public func run(_ name: String, _ params: [String: SQLValue]) throws -> QueryResult {
        let (statement, parameters) = try prepare(name)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        let values = try parameters.bind(params, query: name, engine: .sqlite)
        try bind(values, to: statement, query: name)
        return try step(statement, query: name)
    }

    /// Steps through the rows in place (see `Database.scan`).
    public func scan(_ name: String, _ params: [String: SQLValue], _ body: (any ScanRow) throws -> Void) throws {
        let (statement, parameters) = try prepare(name)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        try bind(try parameters.bind(params, query: name, engine: .sqlite), to: statement, query: name)
        while true {
            let rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { return }
            guard rc == SQLITE_ROW else { throw error(rc, query: name) }
            try body(StatementRow(statement: statement))
        }
    }

    /// Runs one statement's text with named parameters, prepared for this call only.
    public func runText(_ sql: String, name: String, _ params: [String: SQLValue]) throws -> QueryResult {
        let parameters = NamedParameters(sql, engine: .sqlite)
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v2(db, parameters.sql, -1, &statement, nil)
        guard rc == SQLITE_OK, let statement else { throw error(rc, query: name) }
        defer { sqlite3_finalize(statement) }
        try bind(try parameters.bind(params, query: name, engine: .sqlite), to: statement, query: name)
        return try step(statement, query: name)
    }

    /// Runs SQL text, possibly several statements.
    public func executeScript(_ sql: String, name: String) throws {
        var errmsg: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(db, sql, nil, nil, &errmsg)
        let message = errmsg.map { String(cString: $0) }
        sqlite3_free(errmsg)
        guard rc == SQLITE_OK else { throw error(rc, query: name, message: message) }
    }

    /// `BEGIN IMMEDIATE` takes the write lock now, so two writers queue on the busy timeout
    /// instead of failing at their first write.
    public func begin(immediate: Bool) throws {
        try executeScript(immediate ? "BEGIN IMMEDIATE" : "BEGIN", name: "begin")
    }
    /// COMMIT.
    public func commit() throws { try executeScript("COMMIT", name: "commit") }
    /// ROLLBACK when a transaction is open.
    public func rollback() {
        if sqlite3_get_autocommit(db) == 0 { sqlite3_exec(db, "ROLLBACK", nil, nil, nil) }
    }

    /// Rows per INSERT in `bulkLoad` (fewer when a row's values would pass SQLite's limit on
    /// parameters).
    static let rowsPerInsert = 100

    /// Prepared INSERTs reused for every row, inside the caller's transaction: `rowsPerInsert`
    /// rows a statement, one VALUES list each, then the rest a row at a time. Each step of an
    /// INSERT opens a cursor on the table and on each of its indexes again; a row a step did
    /// that for every row (SQLite 1M warm: the writer's key writes 2.3 -> 1.75 s).
    /// OR FAIL: a refused row stops the statement and leaves the rows before it, so SQLite keeps
    /// no statement journal to undo them (except for a table with CHECK constraints, see
    /// `leadsync_sqlite3_configure`). Every caller loads inside a transaction that it rolls
    /// back on an error, which undoes them, or (`push_request`) into a temporary table that it
    /// empties before each load and that an error leaves to the end of the process.
    public func bulkLoad(table: String, columns: [String], rows: [[SQLValue]]) throws {
        let query = "load \(table)"
        let width = columns.count
        guard width > 0 else { throw InternalError("\(query): no columns to load") }
        let perInsert = max(1, min(Self.rowsPerInsert, Int(sqlite3_limit(db, SQLITE_LIMIT_VARIABLE_NUMBER, -1)) / width))
        let target = "\(table)(\(columns.joined(separator: ",")))"
        var start = rows.startIndex
        while start < rows.endIndex {
            let count = rows.endIndex - start >= perInsert ? perInsert : 1
            let statement = try insertStatement(table: table, columns: columns, key: "\(target)x\(count)", rows: count, query: query)
            defer {
                sqlite3_reset(statement)
                sqlite3_clear_bindings(statement)
            }
            try bind(rows: rows[start..<(start + count)], width: width, to: statement, query: query)
            let rc = sqlite3_step(statement)
            guard rc == SQLITE_DONE else { throw error(rc, query: query) }
            start += count
        }
    }

    /// The INSERT of `rows` rows into `table`'s `columns`, prepared once per connection and
    /// kept under `key`.
    private func insertStatement(table: String, columns: [String], key: String, rows: Int, query: String) throws -> OpaquePointer {
        if let statement = inserts[key] { return statement }
        let row = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        let sql = "INSERT OR FAIL INTO \(try quoteIdentifier(table)) (\(try columns.map(quoteIdentifier).joined(separator: ", "))) VALUES "
            + Array(repeating: row, count: rows).joined(separator: ", ")
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard rc == SQLITE_OK, let statement else { throw error(rc, query: query) }
        inserts[key] = statement
        return statement
    }

    // MARK: - private

    private func prepare(_ name: String) throws -> (OpaquePointer, NamedParameters) {
        if let cached = statements[name] { return cached }
        let parameters = NamedParameters(try SQLCatalog.query(name, engine: .sqlite), engine: .sqlite)
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v3(db, parameters.sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard rc == SQLITE_OK, let statement else { throw error(rc, query: name) }
        statements[name] = (statement, parameters)
        return (statement, parameters)
    }

    /// Binds `values` to `statement`'s parameters 1... in order. A row's text is copied into
    /// `scratch`, which SQLite reads in place (SQLITE_STATIC) until the parameters are bound
    /// again, cleared, or the statement is finalized: every caller binds, steps and then does
    /// one of those before the next bind, so the buffer is never moved under a bound value.
    /// (SQLITE_TRANSIENT had SQLite allocate and copy each value, after a copy of the string
    /// itself: binding took 1.37 s of the writer thread of a million-row SQLite run, the run's
    /// path, and takes 0.97 s this way, perf.)
    private func bind(_ values: [SQLValue], to statement: OpaquePointer, query: String) throws {
        try bind(rows: [values][...], width: values.count, to: statement, query: query)
    }

    /// Binds `rows` one after the other, `width` values each, to parameters 1... (row k's to
    /// k * width + 1...), all their text in `scratch` at once.
    private func bind(rows: ArraySlice<[SQLValue]>, width: Int, to statement: OpaquePointer, query: String) throws {
        var bytes = 0
        for row in rows {
            guard row.count == width else { throw InternalError("\(query): a row of \(row.count) values for \(width) columns") }
            row.withUnsafeBufferPointer { values in
                for i in values.indices { if case .text(let v) = values[i] { bytes += v.utf8.count } }
            }
        }
        let base = scratch.reserve(bytes)
        var offset = 0
        var index: Int32 = 1
        for row in rows {
            try row.withUnsafeBufferPointer { values in
                for i in values.indices {
                    let rc: Int32
                    switch values[i] {
                    case .null: rc = sqlite3_bind_null(statement, index)
                    case .integer(let v): rc = sqlite3_bind_int64(statement, index, v)
                    case .real(let v): rc = sqlite3_bind_double(statement, index, v)
                    case .text(let v):
                        let start = base + offset
                        offset += Self.copyUTF8(v, to: start)
                        rc = sqlite3_bind_text64(statement, index, start, UInt64(base + offset - start), nil, UInt8(SQLITE_UTF8))
                    }
                    guard rc == SQLITE_OK else { throw error(rc, query: query) }
                    index += 1
                }
            }
        }
    }

    /// Copies `text`'s UTF-8 bytes to `destination` (room for `text.utf8.count`); returns how many.
    private static func copyUTF8(_ text: String, to destination: UnsafeMutablePointer<CChar>) -> Int {
        text.utf8.withByteBuffer { bytes in
            if let source = bytes.baseAddress { UnsafeMutableRawPointer(destination).copyMemory(from: source, byteCount: bytes.count) }
            return bytes.count
        }
    }

    private func step(_ statement: OpaquePointer, query: String) throws -> QueryResult {
        let count = sqlite3_column_count(statement)
        let shape = ResultColumns((0..<count).map { String(cString: sqlite3_column_name(statement, $0)) })
        var rows: [Row] = []
        while true {
            let rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw error(rc, query: query) }
            var values: [SQLValue] = []
            values.reserveCapacity(Int(count))
            for i in 0..<count {
                switch sqlite3_column_type(statement, i) {
                case SQLITE_NULL: values.append(.null)
                case SQLITE_INTEGER: values.append(.integer(sqlite3_column_int64(statement, i)))
                case SQLITE_FLOAT: values.append(.real(sqlite3_column_double(statement, i)))
                default:
                    let length = Int(sqlite3_column_bytes(statement, i))
                    if let text = sqlite3_column_text(statement, i) {
                        values.append(.text(String(decoding: UnsafeBufferPointer(start: text, count: length), as: UTF8.self)))
                    } else {
                        values.append(.text(""))
                    }
                }
            }
            rows.append(Row(shape: shape, values: values))
        }
        return QueryResult(rows: rows, affected: sqlite3_stmt_readonly(statement) != 0 ? rows.count : Int(sqlite3_changes64(db)))
    }

    private func error(_ rc: Int32, query: String, message: String? = nil) -> DatabaseError {
        DatabaseError(engine: .sqlite, code: .sqlite(rc), query: query,
                      message: sanitizeEngineMessage(message ?? String(cString: sqlite3_errmsg(db))))
    }
}

/// The row a SQLite statement is on, read in place (`Database.scan`).
private struct StatementRow: ScanRow {
    let statement: OpaquePointer

    func integer(_ column: Int) -> Int64? {
        sqlite3_column_type(statement, Int32(column)) == SQLITE_NULL ? nil : sqlite3_column_int64(statement, Int32(column))
    }

    func withText<T>(_ column: Int, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T? {
        guard sqlite3_column_type(statement, Int32(column)) != SQLITE_NULL, let text = sqlite3_column_text(statement, Int32(column)) else {
            return nil
        }
        return try body(UnsafeRawBufferPointer(start: text, count: Int(sqlite3_column_bytes(statement, Int32(column)))))
    }
}
