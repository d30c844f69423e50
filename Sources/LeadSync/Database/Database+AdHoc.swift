/// SQL text that is not a file under `sql/`: the job never uses it; tests and the benchmark do.
extension Database {
    /// Runs one statement given as text, with named parameters, and returns its rows.
    public func runAdHoc(_ sql: String, name: String, _ params: [String: SQLValue] = [:]) throws -> [Row] {
        try runText(sql, name: name, params).rows
    }
}
