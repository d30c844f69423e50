/// Applies the numbered migration files of `sql/<engine>/migrations/` (and, on request,
/// `crm_mirror/`) that a database has not seen yet, each in the transaction that records it.
public struct Migrator {
    /// Migration sets: the job's tables, and the CRM mirror for local runs.
    public enum MigrationSet: String, Sendable, CaseIterable {
        case job = "migrations"
        case crmMirror = "crm_mirror"
    }

    let db: any Database
    let options: ConnectionOptions

    /// A migrator for `db`; `options` names the PostgreSQL schemas.
    public init(db: any Database, options: ConnectionOptions) {
        self.db = db
        self.options = options
    }

    /// Applies what is missing and returns the names applied (empty when up to date). The whole
    /// migration is one transaction under a lock: two `migrate` at once apply each file once.
    @discardableResult
    public func migrate(sets: [MigrationSet]) throws -> [String] {
        try db.transaction(immediate: true) {
            try db.run("advisory_lock", ["lock_id": .integer(JobLock.migrate.rawValue)])
            guard let bootstrap = SQLCatalog.text(path: "\(db.engine.rawValue)/bootstrap.sql") else {
                throw InternalError("bootstrap.sql is not embedded")
            }
            try db.executeScript(try substitute(bootstrap), name: "bootstrap")
            var applied: [String] = []
            for set in sets {
                let done = Set(try db.rows("schema_migration_applied", ["set_name": .text(set.rawValue)]).compactMap { $0.int("version") })
                for migration in SQLCatalog.migrations(set.rawValue, engine: db.engine) where !done.contains(migration.version) {
                    try db.executeScript(try substitute(migration.sql), name: "\(set.rawValue)/\(migration.name)")
                    try db.run("schema_migration_record", [
                        "set_name": .text(set.rawValue), "version": .integer(Int64(migration.version)), "name": .text(migration.name),
                    ])
                    applied.append("\(set.rawValue)/\(migration.name)")
                }
            }
            return applied
        }
    }

    /// How the database's migrations of `set` stand against this binary's (file names), from
    /// one read of those applied: `missing`, the ones this binary has and the database has not
    /// applied; `unknown`, the ones it has applied and this binary does not have (a newer
    /// leadsync migrated it, and this one does not know what they changed).
    /// A database without any leadsync table fails with PostgreSQL's 42P01 / SQLite's "no such
    /// table", which the command line turns into "run `leadsync migrate` first".
    public func compare(_ set: MigrationSet) throws -> (missing: [String], unknown: [String]) {
        let applied = try db.rows("schema_migration_applied", ["set_name": .text(set.rawValue)])
        let done = Set(applied.compactMap { $0.int("version") })
        let mine = SQLCatalog.migrations(set.rawValue, engine: db.engine)
        let known = Set(mine.map(\.version))
        return (mine.filter { !done.contains($0.version) }.map(\.name),
                applied.filter { $0.int("version").map { !known.contains($0) } ?? false }.map { $0.string("name") ?? "\($0.int("version") ?? 0)" })
    }

    /// Replaces the two allow-listed schema placeholders with quoted identifiers.
    func substitute(_ sql: String) throws -> String {
        sql.replacingOccurrences(of: "{{job_schema}}", with: try quoteIdentifier(options.jobSchema))
            .replacingOccurrences(of: "{{crm_schema}}", with: try quoteIdentifier(options.crmSchema))
    }
}

import Foundation
