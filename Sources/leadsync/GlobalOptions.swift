import ArgumentParser
import Foundation
import LeadSync

/// `--database` and `--config`, accepted before or after the command name.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("postgresql://… (any libpq URI or key=value string) or sqlite:PATH. Default: $LEADSYNC_DATABASE_URL, else sqlite:leadsync.sqlite.", valueName: "url"))
    var database: String?

    @Option(name: .long, help: ArgumentHelp("A TOML configuration file.", valueName: "file"))
    var config: String?

    /// Loads the configuration and opens the database, in that order, so a broken config stops
    /// the command before any connection; errors become one line and exit 1.
    func open() throws -> (Configuration, any Database) {
        let configuration = try config.map(Configuration.load(path:)) ?? Configuration()
        let url = database ?? ProcessInfo.processInfo.environment["LEADSYNC_DATABASE_URL"] ?? configuration.database ?? DatabaseLocation.defaultURL
        let location = try DatabaseLocation(parsing: url)
        if database != nil, case .postgres(let conninfo) = location, PostgresConnection.hasPassword(conninfo) {
            printError("warning: the password in --database is visible to other users of this machine; use ~/.pgpass or PGPASSWORD instead")
        }
        return (configuration, try openDatabase(location, options: configuration.connection))
    }
}

/// Runs a command body and turns every error into one line on stderr and exit status 1.
func failing<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ExitCode {
        throw error
    } catch {
        printError("leadsync: \(describe(error))")
        throw ExitCode(1)
    }
}

/// One line for any error, with the hint a user needs when the tables are missing.
func describe(_ error: any Error) -> String {
    if let db = error as? DatabaseError, db.isMissingTable {
        return "\(db) — the database has no leadsync tables yet: run `leadsync migrate` first"
    }
    return String(describing: error).replacingOccurrences(of: "\n", with: " ")
}

/// Writes one line to stderr.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
