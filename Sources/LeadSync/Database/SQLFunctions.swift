import CSQLite

/// Registers the normalisers as SQLite functions, so the same SQL text matches on both engines.
enum SQLFunctions {
    /// Adds the functions to one connection.
    static func register(on connection: SQLiteConnection) throws {}
}
