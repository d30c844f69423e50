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
            let (_, db) = try global.open()
            let count = try db.transaction {
                try db.run("captured_contact_retry", ["error_code": .optional(errorCode), "now": .text(Timestamp.format(Date()))]).affected
            }
            print("\(count) failed contacts are pending again")
        }
    }
}
