import ArgumentParser
import Foundation
import LeadSync
import Logging

/// Options shared by `run`, `backfill` and `push`.
struct SyncOptionGroup: ParsableArguments {
    @Option(help: "Rows per batch (one transaction each). Default: batch_size from the config, else 5000.")
    var batchSize: Int?

    @Option(help: "Stop after this many rows.")
    var limit: Int?

    @Flag(help: "Compute every outcome and print what would happen; write nothing.")
    var dryRun = false

    func validate() throws {
        if let b = batchSize, b < 1 || b > 100_000 { throw ValidationError("--batch-size must be between 1 and 100000") }
        if let l = limit, l < 1 { throw ValidationError("--limit must be at least 1") }
    }

    /// Applies the group to `options`.
    func apply(to options: inout SyncOptions) {
        options.batchSize = batchSize
        options.limit = limit
        options.dryRun = dryRun
    }
}

/// Runs a sync with the command's options and prints its summary.
func runSync(_ global: GlobalOptions, _ options: SyncOptions) throws {
    try failing {
        let (config, db) = try global.open()
        LoggingSystem.bootstrapOnce()
        let summary = try SyncJob(db: db, config: config, logger: Logger(label: "leadsync")).run(options)
        print(SummaryText.render(summary), terminator: "")
    }
}

extension LoggingSystem {
    /// swift-log to stderr, level from `LEADSYNC_LOG_LEVEL` (default warning), set up once.
    static func bootstrapOnce() {
        struct Once { nonisolated(unsafe) static var done = false }
        guard !Once.done else { return }
        Once.done = true
        let level = ProcessInfo.processInfo.environment["LEADSYNC_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
