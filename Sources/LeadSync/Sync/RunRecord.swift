import Foundation
import Logging

/// A run's row in `sync_run`: recorded as it starts (so `status` shows it while it works), and
/// finished with its counts and status. A run whose process is gone is marked failed by the next.
struct RunRecord {
    let db: any Database
    let logger: Logger

    /// Marks runs whose process is gone (killed, or cut off from the server before it could record
    /// its end) as failed, so `status` never shows them running for ever.
    func sweepAbandoned(now: Date) throws {
        try db.transaction {
            for row in try db.rows("sync_run_running") {
                guard let id = row["id"].intValue,
                      try db.runOwnerIsGone(id: id, host: row.string("host"), pid: row.int("pid")) else { continue }
                try db.run("sync_run_abandon", ["id": .integer(id), "now": .text(Timestamp.format(now)),
                                                "error": .text("abandoned: the process running it ended before it finished (killed, or it lost the database); its unfinished rows stayed pending")])
                logger.info("marked an abandoned run as failed", metadata: ["run": "\(id)"])
            }
        }
    }

    /// Records a run of `mode` starting at `now`; returns its id. The run holds its owner lock
    /// (PostgreSQL) for its connection's life, which tells the next run whether it is abandoned.
    func start(mode: SyncOptions.Mode, now: Date, configChecksum: String) throws -> Int64 {
        try db.transaction {
            let id = try db.one("sync_run_start", ["mode": .text(mode.rawValue), "now": .text(Timestamp.format(now)),
                                                   "config_checksum": .text(configChecksum),
                                                   "host": .text(ProcessInfo.processInfo.hostName),
                                                   "pid": .integer(Int64(getpid()))])?["id"].intValue ?? 0
            try db.run("sync_run_owner_lock", ["id": .integer(id)])
            return id
        }
    }

    /// Records how run `summary.runID` ended.
    func finish(_ summary: SyncSummary, status: String, error: String?) throws {
        try db.transaction {
            try db.run("sync_run_finish", [
                "id": .integer(summary.runID), "now": .text(Timestamp.format(summary.finishedAt)), "status": .text(status),
                "read_count": .integer(Int64(summary.read)), "exported_count": .integer(Int64(summary.exported)),
                "failed_count": .integer(Int64(summary.failed)), "skipped_count": .integer(Int64(summary.skipped)),
                "possible_duplicate_count": .integer(Int64(summary.possibleDuplicates)),
                "report_path": .optional(summary.report?.folder.path),
                "error": .optional(error),
                "calls_read_count": .integer(Int64(summary.calls?.read ?? 0)), "calls_logged_count": .integer(Int64(summary.calls?.logged ?? 0)),
                "calls_waiting_count": .integer(Int64(summary.calls?.waiting ?? 0)), "calls_skipped_count": .integer(Int64(summary.calls?.skipped ?? 0)),
                "calls_failed_count": .integer(Int64(summary.calls?.failed ?? 0)),
            ])
        }
    }
}
