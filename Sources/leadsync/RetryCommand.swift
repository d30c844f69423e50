import ArgumentParser
import Foundation
import LeadSync

/// `leadsync retry [--error-code CODE]`.
struct RetryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "retry", abstract: "Put failed contacts back to pending (all, or those failed with one error code).")

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Only rows failed with this code (e.g. duplicate_email).", valueName: "code"))
    var errorCode: String?

    func run() throws {
        try failing {
            let (config, db) = try global.open()
            let maxAttempts = SQLValue.integer(Int64(config.maxAttempts))
            let (count, exhausted) = try db.transaction {
                (try db.run("captured_contact_retry", ["error_code": .optional(errorCode), "now": .text(Timestamp.format(Date())),
                                                       "max_attempts": maxAttempts]).affected,
                 try db.one("captured_contact_count_exhausted", ["error_code": .optional(errorCode), "max_attempts": maxAttempts])?.int("exhausted") ?? 0)
            }
            print("\(count) failed contacts are pending again")
            if exhausted > 0 {
                print("\(exhausted) stay failed: tried \(config.maxAttempts) times already (max_attempts); correct them in the capturing app and import them again")
            }
        }
    }
}
