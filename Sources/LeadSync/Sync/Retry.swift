import Foundation

/// `retry`: failed captured contacts back to pending (all, or those failed with one code), in one
/// transaction. Rows Salesforce rejected (`crm_rejected`, SYNC_RULES.md §9) lose their failed
/// mirror rows too, which never reached Salesforce, and those records' keys, so the next run maps
/// the rows again. Rows already tried `max_attempts` times stay failed.
public struct Retry {
    let db: any Database
    let maxAttempts: Int

    /// A retry over `db`, leaving rows tried `maxAttempts` times alone.
    public init(db: any Database, maxAttempts: Int) {
        self.db = db
        self.maxAttempts = maxAttempts
    }

    /// What a retry did.
    public struct Outcome: Sendable {
        /// Rows pending again.
        public var retried = 0
        /// Rows that stay failed: tried `max_attempts` times already.
        public var exhausted = 0
        /// Mirror rows of rejected records removed.
        public var mirrorRowsRemoved = 0
    }

    /// Retries the failed rows with `errorCode` (nil: every code) at `now`.
    public func run(errorCode: String?, now: Date) throws -> Outcome {
        let code: SQLValue = .optional(errorCode)
        let attempts: SQLValue = .integer(Int64(maxAttempts))
        return try db.transaction {
            var outcome = Outcome()
            for object in TargetObject.allCases {
                let ids = try db.rows("mirror_delete_rejected_\(object.rawValue)", ["error_code": code, "max_attempts": attempts])
                    .compactMap { $0["id"].intValue }
                guard !ids.isEmpty else { continue }
                try db.run("crm_key_delete_records", ["crm_object": .text(object.rawValue), "ids": .text(ids.map(String.init).joined(separator: ","))])
                try db.run("crm_key_prune_state_forget_rows", ["crm_object": .text(object.rawValue), "rows": .integer(Int64(ids.count))])
                outcome.mirrorRowsRemoved += ids.count
            }
            outcome.retried = try db.run("captured_contact_retry", ["error_code": code, "now": .text(Timestamp.format(now)), "max_attempts": attempts]).affected
            outcome.exhausted = try db.one("captured_contact_count_exhausted", ["error_code": code, "max_attempts": attempts])?.int("exhausted") ?? 0
            return outcome
        }
    }
}
