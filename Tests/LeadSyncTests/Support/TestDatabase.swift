import Foundation
import Testing
@testable import LeadSync

/// The engines a shared suite runs on: SQLite always, PostgreSQL when `LEADSYNC_TEST_DATABASE_URL`
/// names a server (`make test` starts one and sets it).
enum TestEngine: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    static let postgresURL = ProcessInfo.processInfo.environment["LEADSYNC_TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }

    /// SQLite, plus PostgreSQL when configured.
    static var available: [TestEngine] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }
}

/// A fresh, empty database for one test: a SQLite file in a temporary folder, or a new
/// PostgreSQL database on the test server. Dropped by `withTestDatabase`.
struct TestDatabase: Sendable {
    let engine: TestEngine
    /// The URL for `--database`.
    let url: String
    /// A temporary folder for files the test writes.
    let directory: URL

    func open() throws -> any Database {
        try openDatabase(try DatabaseLocation(parsing: url))
    }

    /// Opens a connection and applies every migration (job tables and the CRM mirror).
    func migrated() throws -> any Database {
        let db = try open()
        try Migrator(db: db, options: ConnectionOptions()).migrate(sets: [.job, .crmMirror])
        return db
    }

    /// Runs raw SQL (tests only: checks and set-ups the job itself never does).
    func exec(_ sql: String) throws {
        try open().executeScript(sql, name: "test")
    }

    /// The first column of the first row of a raw query.
    func scalar(_ sql: String) throws -> String? {
        try rawRows(sql).first?.values.first?.textValue
    }

    /// Rows of a raw query, through a throwaway query registered under a test name.
    func rawRows(_ sql: String) throws -> [Row] {
        let db = try open()
        return try TestQueries.run(sql, on: db)
    }
}

/// Runs ad-hoc SQL in tests with the same connection code as the job.
enum TestQueries {
    static func run(_ sql: String, on db: any Database) throws -> [Row] {
        try db.runAdHoc(sql, name: "test_query")
    }
}

/// Creates a fresh database for `engine`, runs `body`, then removes it.
func withTestDatabase<T>(_ engine: TestEngine, _ body: (TestDatabase) throws -> T) throws -> T {
    LogSetup.once()
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("leadsync-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    switch engine {
    case .sqlite:
        return try body(TestDatabase(engine: .sqlite, url: "sqlite:\(dir.appendingPathComponent("test.sqlite").path)", directory: dir))
    case .postgres:
        guard let base = TestEngine.postgresURL else { throw UsageError("LEADSYNC_TEST_DATABASE_URL is not set") }
        let name = "leadsync_t_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20))"
        let admin = try openDatabase(try DatabaseLocation(parsing: base))
        try admin.executeScript("CREATE DATABASE \(name)", name: "create_test_database")
        defer { try? admin.executeScript("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", name: "drop_test_database") }
        var components = URLComponents(string: base)
        components?.path = "/\(name)"
        guard let url = components?.string else { throw UsageError("cannot build a test database URL") }
        return try body(TestDatabase(engine: .postgres, url: url, directory: dir))
    }
}

/// `make soak` runs the reliability scenarios longer: LEADSYNC_SOAK_ROUNDS times as many kills,
/// overlapping runs and restarts as the CI-sized suite.
enum Soak {
    static let rounds = max(1, Int(ProcessInfo.processInfo.environment["LEADSYNC_SOAK_ROUNDS"] ?? "") ?? 1)
}
