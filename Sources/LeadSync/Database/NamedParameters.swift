/// A SQL text whose `:name` parameters were rewritten once into the engine's positional form
/// (`$1` on PostgreSQL, `?1` on SQLite); the same name always maps to the same position.
public struct NamedParameters: Sendable {
    /// The rewritten SQL.
    public let sql: String
    /// Parameter names by position (index 0 is `$1` / `?1`).
    public let names: [String]

    /// Rewrites `source` for `engine`. Quoted strings, quoted identifiers, comments, `::` casts and
    /// PostgreSQL dollar-quoted bodies are left untouched.
    public init(_ source: String, engine: Engine) {
        var out = ""
        out.reserveCapacity(source.utf8.count)
        var names: [String] = []
        let chars = Array(source.unicodeScalars)
        var i = 0
        func isIdentStart(_ c: Unicode.Scalar) -> Bool { c == "_" || (c.isASCII && c.properties.isAlphabetic) }
        func isIdent(_ c: Unicode.Scalar) -> Bool { isIdentStart(c) || ("0"..."9").contains(c) }
        while i < chars.count {
            let c = chars[i]
            let next: Unicode.Scalar? = i + 1 < chars.count ? chars[i + 1] : nil
            switch c {
            case "'", "\"":
                // Copy a quoted string or identifier, including doubled quotes inside it.
                out.unicodeScalars.append(c)
                i += 1
                while i < chars.count {
                    out.unicodeScalars.append(chars[i])
                    if chars[i] == c {
                        if i + 1 < chars.count, chars[i + 1] == c {
                            out.unicodeScalars.append(chars[i + 1])
                            i += 2
                            continue
                        }
                        i += 1
                        break
                    }
                    i += 1
                }
            case "-" where next == "-":
                while i < chars.count, chars[i] != "\n" { out.unicodeScalars.append(chars[i]); i += 1 }
            case "/" where next == "*":
                while i < chars.count {
                    out.unicodeScalars.append(chars[i])
                    if chars[i] == "*", i + 1 < chars.count, chars[i + 1] == "/" {
                        out.unicodeScalars.append("/")
                        i += 2
                        break
                    }
                    i += 1
                }
            case "$" where engine == .postgres && next.map({ $0 == "$" || isIdentStart($0) }) == true:
                // A dollar-quoted body: $tag$ ... $tag$.
                var j = i + 1
                while j < chars.count, chars[j] != "$", isIdent(chars[j]) { j += 1 }
                guard j < chars.count, chars[j] == "$" else { out.unicodeScalars.append(c); i += 1; continue }
                let tag = Array(chars[i...j])
                out.unicodeScalars.append(contentsOf: tag)
                i = j + 1
                while i < chars.count {
                    if chars[i] == "$", i + tag.count <= chars.count, Array(chars[i..<(i + tag.count)]) == tag {
                        out.unicodeScalars.append(contentsOf: tag)
                        i += tag.count
                        break
                    }
                    out.unicodeScalars.append(chars[i])
                    i += 1
                }
            case ":" where next == ":":
                out.unicodeScalars.append(":")
                out.unicodeScalars.append(":")
                i += 2
            case ":" where next.map(isIdentStart) == true && (i == 0 || chars[i - 1] != ":"):
                var j = i + 1
                while j < chars.count, isIdent(chars[j]) { j += 1 }
                let name = String(String.UnicodeScalarView(chars[(i + 1)..<j]))
                let position: Int
                if let existing = names.firstIndex(of: name) {
                    position = existing + 1
                } else {
                    names.append(name)
                    position = names.count
                }
                out += engine == .postgres ? "$\(position)" : "?\(position)"
                i = j
            default:
                out.unicodeScalars.append(c)
                i += 1
            }
        }
        self.sql = out
        self.names = names
    }

    /// The bound values in positional order; a missing parameter is a programming error reported
    /// by name.
    public func bind(_ params: [String: SQLValue], query: String, engine: Engine) throws -> [SQLValue] {
        try names.map { name in
            guard let v = params[name] else {
                throw InternalError("\(query): parameter :\(name) was not given")
            }
            return v
        }
    }
}
