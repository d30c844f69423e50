import ArgumentParser
import Foundation
import LeadSync

/// `leadsync retry [--error-code CODE]`.
struct RetryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Put failed contacts back to pending (all, or those failed with one error code); rejected records leave the mirror.")

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Only rows failed with this code (e.g. duplicate_email, crm_rejected).", valueName: "code"))
    var errorCode: String?

    @Flag(help: "Call events instead of captured contacts: failed ones back to pending; with --error-code, those failed or skipped with it.")
    var calls = false

    func run() throws {
        try failing {
            let (config, db) = try global.open()
            if calls {
                let retried = try db.transaction {
                    try db.run("call_event_retry", ["error_code": .optional(errorCode), "now": .text(Timestamp.format(Date()))]).affected
                }
                print("\(retried) call events are pending again")
                return
            }
            let outcome = try Retry(db: db, maxAttempts: config.maxAttempts).run(errorCode: errorCode, now: Date())
            print("\(outcome.retried) failed contacts are pending again")
            if outcome.mirrorRowsRemoved > 0 {
                print("\(outcome.mirrorRowsRemoved) records Salesforce rejected were removed from the CRM mirror; the next run writes them again")
            }
            if outcome.exhausted > 0 {
                print("\(outcome.exhausted) stay failed: tried \(config.maxAttempts) times already (max_attempts); correct them in the capturing app and import them again")
            }
        }
    }
}
