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
    /// Text that is already a key is returned as it is (no copy); the rest is lowered into a
    /// new string in one pass over the bytes.
    static func asciiTrimmedLowercased(_ raw: String) -> String? {
        func key(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
            var upper = false
            for b in bytes {
                if b >= 0x80 { return nil }
                if b >= 0x41 && b <= 0x5A { upper = true }
            }
            var start = 0, end = bytes.count
            while start < end && isASCIISpace(bytes[start]) { start += 1 }
            while end > start && isASCIISpace(bytes[end - 1]) { end -= 1 }
            if start == 0 && end == bytes.count && !upper { return raw }
            return String(unsafeUninitializedCapacity: end - start) { out in
                for i in start..<end { out[i - start] = bytes[i] >= 0x41 && bytes[i] <= 0x5A ? bytes[i] + 0x20 : bytes[i] }
                return end - start
            }
        }
        return raw.utf8.withByteBuffer(key)
    }

    /// Space, tab, line feed, vertical tab, form feed, carriage return.
    static func isASCIISpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }

    /// §4 `invalid_email`: exactly one `@`, no whitespace inside, a non-empty local part, and a
    /// domain with a dot and no empty label.
    /// One pass over the UTF-8 bytes, without splitting into parts.
    public static func isValidEmail(_ trimmed: String) -> Bool {
        func valid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            var at = -1, nonASCII = false
            for i in bytes.indices {
                let b = bytes[i]
                if b == 0x40 {
                    if at >= 0 { return false }
                    at = i
                } else if b >= 0x80 {
                    nonASCII = true
                } else if isASCIISpace(b) {
                    return false
                }
            }
            guard at > 0 else { return false }
            if nonASCII && trimmed.unicodeScalars.contains(where: isSpace) { return false }
            // The domain: labels, at least two, none empty.
            let start = at + 1, end = bytes.count
            guard start < end, bytes[start] != 0x2E, bytes[end - 1] != 0x2E else { return false }
            var dots = 0, previousDot = false
            for i in start..<end {
                let dot = bytes[i] == 0x2E
                if dot && previousDot { return false }
                if dot { dots += 1 }
                previousDot = dot
            }
            return dots > 0
        }
        return trimmed.utf8.withByteBuffer(valid)
    }
}
