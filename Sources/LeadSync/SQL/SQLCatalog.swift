/// Finds the SQL files the binary carries (see `scripts/embed-sql.py`).
public enum SQLCatalog {
    /// The text of query `name` for `engine` (`sql/<engine>/queries/<name>.sql`).
    public static func query(_ name: String, engine: Engine) throws -> String {
        guard let text = EmbeddedSQL.files["\(engine.rawValue)/queries/\(name).sql"] else {
            throw InternalError("no SQL file sql/\(engine.rawValue)/queries/\(name).sql")
        }
        return text
    }

    /// Migration files of one set (`migrations` or `crm_mirror`) for `engine`, ordered by their
    /// number: `(version, name, text)`.
    public static func migrations(_ set: String, engine: Engine) -> [(version: Int, name: String, sql: String)] {
        let prefix = "\(engine.rawValue)/\(set)/"
        return EmbeddedSQL.files.compactMap { path, text -> (Int, String, String)? in
            guard path.hasPrefix(prefix) else { return nil }
            let file = String(path.dropFirst(prefix.count).dropLast(".sql".count))
            guard let version = Int(file.prefix(while: \.isNumber)) else { return nil }
            return (version, file, text)
        }
        .sorted { $0.0 < $1.0 }
        .map { (version: $0.0, name: $0.1, sql: $0.2) }
    }

    /// Every embedded path, for the check that `sql/` and the binary agree.
    public static var paths: [String] { EmbeddedSQL.files.keys.sorted() }

    /// The embedded text of one path below `sql/`.
    public static func text(path: String) -> String? { EmbeddedSQL.files[path] }
}
