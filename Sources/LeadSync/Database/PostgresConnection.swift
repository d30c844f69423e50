import CLibPQ
import Foundation

/// A libpq connection. libpq reads `PG*` variables, `~/.pgpass` and service files itself; every
/// query is prepared once per connection under its file name and executed with text parameters.
public final class PostgresConnection: Database {
    /// Always `.postgres`.
    public let engine = Engine.postgres
    /// host, port, database and user, never the password.
    public let displayURL: String
    private let conn: OpaquePointer
    private var prepared: [String: NamedParameters] = [:]
    private var secrets: [String]
    /// How long to wait for the server's answer to one statement: the statement timeout plus ten
    /// seconds, so the server's own timeout (57014) normally answers first; `nil` waits for ever.
    /// It is what keeps a server that stopped answering from hanging the job.
    private let answerTimeout: Double?
    /// Set when the connection was lost or abandoned; every later call fails at once.
    private var broken: DatabaseError?
    /// What it was opened with, for `openAnother`.
    private let conninfo: String
    private let options: ConnectionOptions

    /// Connects with a libpq URI or `key=value` string and sets the session up: `search_path` to
    /// the job and CRM schemas, UTC, UTF-8, and the statement timeout.
    public init(conninfo: String, options: ConnectionOptions) throws {
        let parsed = PostgresConnection.parseConninfo(conninfo)
        self.conninfo = conninfo
        self.options = options
        secrets = [parsed["password"], ProcessInfo.processInfo.environment["PGPASSWORD"]].compactMap { $0 }
        answerTimeout = options.statementTimeoutMilliseconds > 0 ? Double(options.statementTimeoutMilliseconds) / 1000 + 10 : nil
        displayURL = PostgresConnection.display(parsed)
        // Keys given before `dbname` are overridden by the same key in the user's string, so the
        // defaults here never win over what the user wrote.
        let keys = ["connect_timeout", "fallback_application_name", "client_encoding", "dbname"]
        let values = [String(options.connectTimeoutSeconds), "leadsync", "UTF8", conninfo]
        let cKeys = keys.map { strdup($0) }
        let cValues = values.map { strdup($0) }
        defer { (cKeys + cValues).forEach { free($0) } }
        var keyPtrs: [UnsafePointer<CChar>?] = cKeys.map { UnsafePointer($0) } + [nil]
        var valuePtrs: [UnsafePointer<CChar>?] = cValues.map { UnsafePointer($0) } + [nil]
        guard let c = PQconnectdbParams(&keyPtrs, &valuePtrs, 1) else {
            throw DatabaseError(engine: .postgres, code: .sqlState("08001"), query: "connect", message: "libpq could not allocate a connection")
        }
        conn = c
        PQsetNoticeProcessor(conn, { _, _ in }, nil)
        if let used = PQpass(conn).map({ String(cString: $0) }), !used.isEmpty { secrets.append(used) }
        guard PQstatus(conn) == CONNECTION_OK else {
            // Every stored property is set, so deinit runs and calls PQfinish.
            let message = sanitizeEngineMessage(String(cString: PQerrorMessage(conn)), secrets: secrets)
            throw DatabaseError(engine: .postgres, code: .sqlState("08001"), query: "connect to \(displayURL)", message: message)
        }
        // Non-blocking from here on: every wait for the server goes through poll() with a deadline.
        PQsetnonblocking(conn, 1)
        let job = try quoteIdentifier(options.jobSchema)
        let crm = try quoteIdentifier(options.crmSchema)
        // Plans are made per execution: the job's tables grow by millions of rows within one
        // session (the CRM key refresh), and a plan cached while a table was empty turns a
        // join into a nested loop over it. Parsing is still done once per statement. JIT is off:
        // it compiled for 0.6 s per batch to save milliseconds on statements that are index probes.
        // Dates are shown in ISO whatever the server's default (DateStyle): the match ranks records
        // by their systemmodstamp as text (CRMMatch.ranks), which is time order only in ISO.
        var setup = "SET search_path TO \(job), \(crm); SET TIME ZONE 'UTC'; SET DateStyle = ISO; SET plan_cache_mode = force_custom_plan; SET jit = off"
        if options.statementTimeoutMilliseconds > 0 {
            setup += "; SET statement_timeout = \(options.statementTimeoutMilliseconds)"
        }
        try executeScript(setup, name: "session_setup")
    }

    deinit { PQfinish(conn) }

    /// Another connection with the same conninfo and options (libpq reads `.pgpass` and `PG*` again).
    public func openAnother() throws -> any Database { try PostgresConnection(conninfo: conninfo, options: options) }

    /// A claim locks its rows (`FOR UPDATE SKIP LOCKED`) until the batch commits.
    public var claimLocksRows: Bool { true }

    /// Booleans as text, which COPY and parameters both read.
    public func boolean(_ value: Bool) -> SQLValue { .text(value ? "true" : "false") }

    /// A run is abandoned when its session lock (taken at its start) is free: the session that
    /// held it has ended, whatever the host.
    public func runOwnerIsGone(id: Int64, host: String?, pid: Int?) throws -> Bool {
        isTrue(try one("sync_run_owner_gone", ["id": .integer(id)])?["gone"] ?? .null)
    }

    /// Runs a named query: prepared on first use, then executed with its bound values.
    @discardableResult
    public func run(_ name: String, _ params: [String: SQLValue]) throws -> QueryResult {
        let statement = try prepare(name)
        return try execute(name) { pointers, count in
            PQsendQueryPrepared(conn, name, count, pointers, nil, nil, 0)
        } values: { try statement.bind(params, query: name, engine: .postgres) }
    }

    /// Binds values as C strings (NULL as a null pointer), runs `call`, checks and reads the result.
    private func execute(_ name: String, _ call: (UnsafePointer<UnsafePointer<CChar>?>?, Int32) -> Int32,
                         values: () throws -> [SQLValue]) throws -> QueryResult {
        let cValues: [UnsafeMutablePointer<CChar>?] = try values().map { $0.textValue.map { strdup($0) } ?? nil }
        defer { cValues.forEach { free($0) } }
        let pointers: [UnsafePointer<CChar>?] = cValues.map { $0.map { UnsafePointer($0) } }
        let result = try send(name) {
            pointers.withUnsafeBufferPointer { buffer in call(buffer.baseAddress, Int32(buffer.count)) }
        }
        defer { PQclear(result) }
        try check(result, query: name)
        return read(result)
    }

    /// Runs one statement's text with named parameters, unprepared.
    public func runText(_ sql: String, name: String, _ params: [String: SQLValue]) throws -> QueryResult {
        let statement = NamedParameters(sql, engine: .postgres)
        return try execute(name) { pointers, count in
            PQsendQueryParams(conn, statement.sql, count, nil, pointers, nil, nil, 0)
        } values: { try statement.bind(params, query: name, engine: .postgres) }
    }

    /// Runs SQL text, possibly several statements, without parameters.
    public func executeScript(_ sql: String, name: String) throws {
        let result = try send(name) { PQsendQuery(conn, sql) }
        defer { PQclear(result) }
        try check(result, query: name)
    }

    /// BEGIN; `immediate` means nothing on PostgreSQL, where rows are locked as they are claimed.
    public func begin(immediate: Bool) throws { try executeScript("BEGIN", name: "begin") }
    /// COMMIT; a failed commit is reported like any statement.
    public func commit() throws { try executeScript("COMMIT", name: "commit") }
    /// ROLLBACK, ignoring errors.
    public func rollback() {
        if let result = try? send("rollback", { PQsendQuery(conn, "ROLLBACK") }) { PQclear(result) }
    }

    /// COPY FROM STDIN in text format, sent in chunks of about a megabyte.
    public func bulkLoad(table: String, columns: [String], rows: [[SQLValue]]) throws {
        let query = "copy \(table)"
        let columnList = try columns.map(quoteIdentifier).joined(separator: ", ")
        let copySQL = "COPY \(try quoteIdentifier(table)) (\(columnList)) FROM STDIN"
        let start = try send(query) { PQsendQuery(conn, copySQL) }
        let status = PQresultStatus(start)
        if status != PGRES_COPY_IN {
            defer { PQclear(start) }
            try check(start, query: query)
            throw DatabaseError(engine: .postgres, code: .sqlState("XX000"), query: query, message: "server did not enter COPY mode")
        }
        PQclear(start)
        var buffer: [UInt8] = []
        buffer.reserveCapacity((1 << 20) + (1 << 16))
        let deadline = answerTimeout.map { Date().addingTimeInterval($0) }
        func putData(_ bytes: UnsafeBufferPointer<UInt8>) throws {
            try put(query, until: deadline) {
                bytes.withMemoryRebound(to: CChar.self) { PQputCopyData(conn, $0.baseAddress, Int32($0.count)) }
            }
        }
        func flush() throws {
            guard !buffer.isEmpty else { return }
            try buffer.withUnsafeBufferPointer(putData)
            buffer.removeAll(keepingCapacity: true)
        }
        for row in rows {
            PostgresConnection.appendCopyRow(row, to: &buffer)
            if buffer.count >= 1 << 20 { try flush() }
        }
        try flush()
        try put(query, until: deadline) { PQputCopyEnd(conn, nil) }
        // Everything libpq still holds goes out now: the server cannot write rows it has not got.
        while true {
            let left = PQflush(conn)
            if left == 0 { break }
            if left < 0 { throw lost(query) }
            try wait(forWriting: true, until: deadline, query: query)
        }
        let result = try collect(query: query, deadline: deadline)
        defer { PQclear(result) }
        try check(result, query: query)
    }

    // MARK: - private

    private func prepare(_ name: String) throws -> NamedParameters {
        if let statement = prepared[name] { return statement }
        let statement = NamedParameters(try SQLCatalog.query(name, engine: .postgres), engine: .postgres)
        let result = try send(name) { PQsendPrepare(conn, name, statement.sql, Int32(statement.names.count), nil) }
        defer { PQclear(result) }
        try check(result, query: name)
        prepared[name] = statement
        return statement
    }

    /// Sends one query (`submit` is a PQsend… call) and waits for its result within the answer
    /// timeout. The result is the first error, else the last result (as PQexec returns).
    private func send(_ query: String, _ submit: () -> Int32) throws -> OpaquePointer? {
        if let broken { throw broken }
        guard submit() == 1 else { throw lost(query) }
        // collect() sends whatever libpq still holds of the query before it waits for the answer.
        return try collect(query: query, deadline: answerTimeout.map { Date().addingTimeInterval($0) })
    }

    /// Repeats a COPY call (PQputCopyData, PQputCopyEnd) until libpq takes it: in non-blocking
    /// mode it refuses while its buffer is full, so wait for the server to read, then flush.
    private func put(_ query: String, until deadline: Date?, _ call: () -> Int32) throws {
        while true {
            let ok = call()
            if ok == 1 { return }
            if ok < 0 { throw lost(query) }
            try wait(forWriting: true, until: deadline, query: query)
            if PQflush(conn) < 0 { throw lost(query) }
        }
    }

    private func collect(query: String, deadline: Date?) throws -> OpaquePointer? {
        var kept: OpaquePointer?
        while true {
            while PQisBusy(conn) == 1 {
                // Data still queued in libpq (non-blocking mode) must reach the server first.
                let pending = PQflush(conn)
                if pending < 0 {
                    if let kept { PQclear(kept) }
                    throw lost(query)
                }
                try wait(forWriting: pending == 1, until: deadline, query: query)
                if PQconsumeInput(conn) == 0 {
                    if let kept { PQclear(kept) }
                    throw lost(query)
                }
            }
            guard let result = PQgetResult(conn) else { break }
            let status = PQresultStatus(result)
            if status == PGRES_COPY_IN || status == PGRES_COPY_OUT {
                if let kept { PQclear(kept) }
                return result
            }
            if let k = kept, PQresultStatus(k) == PGRES_FATAL_ERROR {
                PQclear(result)
            } else {
                if let kept { PQclear(kept) }
                kept = result
            }
        }
        if PQstatus(conn) == CONNECTION_BAD {
            // The server went away (restart, crash, network): the result, if any, says why.
            var error = lost(query)
            do { try check(kept, query: query) } catch let e as DatabaseError { error = e } catch {}
            if let kept { PQclear(kept) }
            broken = error
            throw error
        }
        return kept
    }

    /// Waits until the socket is readable (or writable), or throws when `deadline` passes: the
    /// connection is then abandoned, since its state is unknown.
    private func wait(forWriting: Bool, until deadline: Date?, query: String) throws {
        let socket = PQsocket(conn)
        guard socket >= 0 else { throw lost(query) }
        while true {
            var timeout: Int32 = -1
            if let deadline {
                let left = deadline.timeIntervalSinceNow
                if left <= 0 {
                    let error = DatabaseError(engine: .postgres, code: .sqlState("08006"), query: query,
                                              message: String(format: "the server did not answer within %.0f s (statement_timeout_ms plus 10 s); the connection was closed", answerTimeout ?? 0))
                    broken = error
                    throw error
                }
                timeout = Int32(min(left * 1000, Double(Int32.max)).rounded(.up))
            }
            var fds = pollfd(fd: socket, events: Int16(forWriting ? POLLOUT | POLLIN : POLLIN), revents: 0)
            let n = poll(&fds, 1, timeout)
            if n > 0 {
                // While sending, read what the server says (an error, a notice) so it never
                // waits on us: libpq keeps it for the result.
                if forWriting && fds.revents & Int16(POLLIN) != 0 && PQconsumeInput(conn) == 0 { throw lost(query) }
                return
            }
            if n < 0 && errno != EINTR { throw lost(query) }
        }
    }

    /// The connection failed: SQLSTATE 08006 with libpq's message; later calls fail the same way.
    private func lost(_ query: String) -> DatabaseError {
        let message = String(cString: PQerrorMessage(conn)).trimmingCharacters(in: .whitespacesAndNewlines)
        let error = DatabaseError(engine: .postgres, code: .sqlState("08006"), query: query,
                                  message: sanitizeEngineMessage(message.isEmpty ? "connection to the server was lost" : message, secrets: secrets))
        broken = error
        return error
    }

    private func check(_ result: OpaquePointer?, query: String) throws {
        let status = result.map(PQresultStatus) ?? PGRES_FATAL_ERROR
        switch status {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY, PGRES_COPY_IN:
            return
        default:
            var code = result.flatMap { PQresultErrorField($0, Int32(UInt8(ascii: "C"))) }.map { String(cString: $0) } ?? ""
            var message = result.flatMap { PQresultErrorField($0, Int32(UInt8(ascii: "M"))) }.map { String(cString: $0) }
                ?? String(cString: PQerrorMessage(conn))
            if code.isEmpty {
                code = PQstatus(conn) == CONNECTION_BAD ? "08006" : "XX000"
            }
            if code.hasPrefix("22"), let cut = message.range(of: ": \"") {
                // Data exceptions quote the offending value after a colon; keep only the kind.
                message = String(message[..<cut.lowerBound])
            }
            throw DatabaseError(engine: .postgres, code: .sqlState(code), query: query,
                                message: sanitizeEngineMessage(message, secrets: secrets))
        }
    }

    private func read(_ result: OpaquePointer?) -> QueryResult {
        guard let result else { return QueryResult(rows: [], affected: 0) }
        let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
        let nRows = PQntuples(result)
        let nFields = PQnfields(result)
        guard nFields > 0 else { return QueryResult(rows: [], affected: affected) }
        let shape = ResultColumns((0..<nFields).map { String(cString: PQfname(result, $0)) })
        var rows: [Row] = []
        rows.reserveCapacity(Int(nRows))
        for r in 0..<nRows {
            var values: [SQLValue] = []
            values.reserveCapacity(Int(nFields))
            for f in 0..<nFields {
                if PQgetisnull(result, r, f) == 1 {
                    values.append(.null)
                } else {
                    // By its length (libpq keeps it): no strlen over every value.
                    let bytes = UnsafeRawPointer(PQgetvalue(result, r, f)).assumingMemoryBound(to: UInt8.self)
                    values.append(.text(String(decoding: UnsafeBufferPointer(start: bytes, count: Int(PQgetlength(result, r, f))), as: UTF8.self)))
                }
            }
            rows.append(Row(shape: shape, values: values))
        }
        return QueryResult(rows: rows, affected: affected)
    }

    /// Appends one row in COPY's text format to `buffer`: tab-separated, `\N` for NULL, and
    /// backslash, tab, newline and carriage return escaped (every other byte, UTF-8 included,
    /// stands for itself). Bytes, not String appends: formatting was a fifth of a cold run's
    /// client time.
    static func appendCopyRow(_ row: [SQLValue], to buffer: inout [UInt8]) {
        // Through the row's own storage: iterating the array retained every string (a third of
        // the formatting's time).
        row.withUnsafeBufferPointer { values in
          for i in values.indices {
            if i > 0 { buffer.append(0x09) }
            switch values[i] {
            case .null:
                buffer.append(0x5C)
                buffer.append(0x4E)
            case .integer(let v):
                buffer.appendDecimal(v)
            case .real(let v):
                buffer.append(contentsOf: String(v).utf8)
            case .text(let text):
                text.utf8.withByteBuffer { appendEscaped($0, to: &buffer) }
            }
          }
        }
        buffer.append(0x0A)
    }

    /// `bytes`, with COPY's four special bytes escaped.
    private static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to buffer: inout [UInt8]) {
        guard bytes.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else {
            buffer.append(contentsOf: bytes)
            return
        }
        for byte in bytes {
            switch byte {
            case 0x5C: buffer.append(0x5C); buffer.append(0x5C)
            case 0x09: buffer.append(0x5C); buffer.append(0x74)
            case 0x0A: buffer.append(0x5C); buffer.append(0x6E)
            case 0x0D: buffer.append(0x5C); buffer.append(0x72)
            default: buffer.append(byte)
            }
        }
    }

    /// The options libpq reads from a URI or key=value string (environment defaults included).
    static func parseConninfo(_ conninfo: String) -> [String: String] {
        var errmsg: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &errmsg) else {
            if let errmsg { PQfreemem(errmsg) }
            return [:]
        }
        defer { PQconninfoFree(options) }
        var out: [String: String] = [:]
        var p = options
        while let keyword = p.pointee.keyword {
            if let val = p.pointee.val { out[String(cString: keyword)] = String(cString: val) }
            p = p.advanced(by: 1)
        }
        return out
    }

    /// `postgresql://user@host:port/dbname` built from parsed options, without the password.
    static func display(_ parsed: [String: String]) -> String {
        let env = ProcessInfo.processInfo.environment
        let user = parsed["user"] ?? env["PGUSER"] ?? ""
        let host = parsed["host"] ?? parsed["hostaddr"] ?? env["PGHOST"] ?? "localhost"
        let port = parsed["port"] ?? env["PGPORT"] ?? "5432"
        let db = parsed["dbname"] ?? env["PGDATABASE"] ?? user
        return "postgresql://\(user.isEmpty ? "" : user + "@")\(host):\(port)/\(db)"
    }
}

/// Quotes an allow-listed identifier (schema, table, column) for PostgreSQL; anything outside
/// `[a-z_][a-z0-9_]*` is refused rather than escaped.
public func quoteIdentifier(_ name: String) throws -> String {
    let ok = !name.isEmpty && name.count <= 63 && name.unicodeScalars.enumerated().allSatisfy { i, c in
        c == "_" || ("a"..."z").contains(c) || (i > 0 && ("0"..."9").contains(c))
    }
    guard ok else { throw UsageError("'\(name)' is not an allowed identifier: use lower-case letters, digits and _") }
    return "\"\(name)\""
}

extension PostgresConnection {
    /// Whether a URI or key=value string carries a password itself.
    public static func hasPassword(_ conninfo: String) -> Bool { parseConninfo(conninfo)["password"] != nil }
}
