import ArgumentParser
import LeadSync

/// `leadsync report RUN_ID`: a past run's summary from the database.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Print a past run's summary from the database.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("The run's id (see `leadsync status`).", valueName: "run-id"))
    var runID: Int64

    func run() throws {
        try failing {
            let (_, db) = try global.open()
            guard let run = try db.one("sync_run_by_id", ["id": .integer(runID)]) else {
                throw UsageError("there is no run #\(runID)")
            }
            var out = "run #\(runID) (\(run.string("mode") ?? "")) \(run.string("status") ?? ""), started \(run.string("started_at") ?? ""), finished \(run.string("finished_at") ?? "-")\n"
            out += "  \(run.int("exported_count") ?? 0) contacts exported, \(run.int("failed_count") ?? 0) failed (\(run.int("read_count") ?? 0) read)\n"
            let failed = try db.rows("captured_contact_failed_by_code", ["run_id": .integer(runID)])
            if !failed.isEmpty {
                out += "  failed by reason:\n"
                for row in failed { out += "    \(String(row.int("row_count") ?? 0).leftPadded(6))  \(row.string("error_code") ?? "")\n" }
            }
            if let calls = run.int("calls_read_count"), calls > 0 {
                out += "  \(run.int("calls_logged_count") ?? 0) call events logged, \(run.int("calls_waiting_count") ?? 0) waiting, "
                    + "\(run.int("calls_skipped_count") ?? 0) skipped, \(run.int("calls_failed_count") ?? 0) failed (\(calls) read)\n"
            }
            if let path = run.string("report_path") { out += "  report: \(path)\n" }
            if let error = run.string("error") { out += "  problem: \(error)\n" }
            print(out, terminator: "")
        }
    }
}
