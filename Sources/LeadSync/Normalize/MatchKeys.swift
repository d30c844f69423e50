import Foundation

/// The email and last-name keys of SYNC_RULES.md §3, the same for captured rows and the CRM.
public enum MatchKeys {
    /// Whitespace to trim besides Unicode's: no-break and zero-width spaces.
    static let extraSpaces: Set<Unicode.Scalar> = ["\u{00A0}", "\u{200B}", "\u{200C}", "\u{200D}", "\u{2060}", "\u{FEFF}", "\u{202F}", "\u{2007}"]

    /// Trims whitespace, including no-break and zero-width spaces, at both ends.
    public static func trim(_ s: String) -> String {
        // Most values start and end with a visible ASCII character: nothing to trim, no copy.
        if let first = s.utf8.first, let last = s.utf8.last, (0x21..<0x80).contains(first), (0x21..<0x80).contains(last) { return s }
        let scalars = s.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
              let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(scalars[first...last])
    }

    static func isSpace(_ c: Unicode.Scalar) -> Bool {
        // ASCII first: Unicode's property lookup costs more than the rest of a key.
        if c.value < 0x80 { return c.value == 0x20 || (0x09...0x0D).contains(c.value) }
        return c.properties.isWhitespace || extraSpaces.contains(c)
    }

    /// NFC, trimmed, lower-cased; `nil` when empty. No other folding (no Gmail dots or +tags).
    public static func email(_ raw: String?) -> String? {
        guard let raw else { return nil }
        if let ascii = asciiTrimmedLowercased(raw) { return ascii.isEmpty ? nil : ascii }
        let key = trim(raw.precomposedStringWithCanonicalMapping).lowercased()
        return key.isEmpty ? nil : key
    }

    /// Case-folded, accents removed, trimmed (`Müller ` → `muller`).
    public static func lastName(_ raw: String?) -> String {
        guard let raw else { return "" }
        if let ascii = asciiTrimmedLowercased(raw) { return ascii }
        return trim(raw).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }

    /// The fast path for ASCII text (most keys): NFC and accent folding change nothing there, so
    /// the key is the text trimmed of ASCII whitespace and lower-cased. `nil` for other text.
    static func asciiTrimmedLowercased(_ raw: String) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.utf8.count)
        for b in raw.utf8 {
            guard b < 0x80 else { return nil }
            bytes.append(b >= 0x41 && b <= 0x5A ? b + 0x20 : b)
        }
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D) }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }

    /// §4 `invalid_email`: exactly one `@`, no whitespace inside, a non-empty local part, and a
    /// domain with a dot and no empty label.
    /// One pass over the UTF-8 bytes, without splitting into parts.
    public static func isValidEmail(_ trimmed: String) -> Bool {
        let bytes = trimmed.utf8
        guard let at = bytes.firstIndex(of: 0x40), at != bytes.startIndex else { return false }
        let domain = bytes[bytes.index(after: at)...]
        guard !domain.contains(0x40) else { return false }
        if bytes.contains(where: { $0 >= 0x80 }) {
            guard !trimmed.unicodeScalars.contains(where: isSpace) else { return false }
        } else if bytes.contains(where: { $0 == 0x20 || (0x09...0x0D).contains($0) }) {
            return false
        }
        // Labels: at least two, none empty.
        guard let first = domain.first, let last = domain.last, first != 0x2E, last != 0x2E, domain.contains(0x2E) else { return false }
        var previousDot = false
        for b in domain {
            if b == 0x2E && previousDot { return false }
            previousDot = b == 0x2E
        }
        return true
    }
}
