@testable import LeadSync

/// SQL text that is not a file under `sql/`: the job never runs any; tests check and set up
/// databases with it.
extension Database {
    /// Runs one statement given as text, with named parameters, and returns its rows.
    func runAdHoc(_ sql: String, name: String, _ params: [String: SQLValue] = [:]) throws -> [Row] {
        try runText(sql, name: name, params).rows
    }
}
