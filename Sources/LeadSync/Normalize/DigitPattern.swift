/// A national number pattern from libphonenumber's metadata, matched against a string of digits
/// without a regular-expression engine. The patterns use a small part of the syntax: digits,
/// `\d`, classes of digits and ranges (`[2-46-9]`), non-capturing groups `(?:…)`, alternation,
/// `?` and `{n}` / `{n,m}`. `parse` returns nil for anything else, and the caller then keeps
/// NSRegularExpression. NSRegularExpression cost about 8,000 instructions per match here (the
/// string bridged to UTF-16, a result object), one match for every number written with its
/// national prefix.
indirect enum DigitPattern: Sendable {
    /// One digit out of a set (bit d set for digit d).
    case digit(UInt16)
    /// The parts one after the other.
    case sequence([DigitPattern])
    /// Any one of the parts.
    case either([DigitPattern])
    /// The part `min` to `max` times.
    case repeated(DigitPattern, min: Int, max: Int)

    /// Whether all of `digits` (ASCII) matches the pattern; false for any other byte.
    func matchesWhole(_ digits: UnsafeBufferPointer<UInt8>) -> Bool {
        // Positions as bits: a number has at most 17 digits; longer text cannot be a number.
        guard digits.count < 32, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
        return ends(from: 1, in: digits) & (1 << UInt32(digits.count)) != 0
    }

    /// The positions the pattern can end at, starting from any position in `starts` (bit p:
    /// position p), over ASCII digits.
    private func ends(from starts: UInt32, in digits: UnsafeBufferPointer<UInt8>) -> UInt32 {
        switch self {
        case .digit(let set):
            var out: UInt32 = 0
            var rest = starts
            while rest != 0 {
                let p = rest.trailingZeroBitCount
                rest &= rest - 1
                if p < digits.count && set & (1 << UInt16(digits[p] - 0x30)) != 0 { out |= 1 << UInt32(p + 1) }
            }
            return out
        case .sequence(let parts):
            var current = starts
            for part in parts where current != 0 { current = part.ends(from: current, in: digits) }
            return current
        case .either(let parts):
            var out: UInt32 = 0
            for part in parts { out |= part.ends(from: starts, in: digits) }
            return out
        case .repeated(let part, let min, let max):
            var out: UInt32 = min == 0 ? starts : 0
            var current = starts
            var times = 0
            while times < max && current != 0 {
                current = part.ends(from: current, in: digits)
                times += 1
                if times >= min { out |= current }
            }
            return out
        }
    }

    /// The pattern `text`, or nil when it uses syntax beyond the subset above.
    static func parse(_ text: String) -> DigitPattern? {
        var parser = Parser(bytes: Array(text.utf8))
        guard let pattern = parser.alternation(), parser.position == parser.bytes.count else { return nil }
        return pattern
    }

    private struct Parser {
        let bytes: [UInt8]
        var position = 0

        private var next: UInt8? { position < bytes.count ? bytes[position] : nil }

        mutating func alternation() -> DigitPattern? {
            var parts: [DigitPattern] = []
            repeat {
                if next == UInt8(ascii: "|") { position += 1 }
                guard let part = sequence() else { return nil }
                parts.append(part)
            } while next == UInt8(ascii: "|")
            return parts.count == 1 ? parts[0] : .either(parts)
        }

        private mutating func sequence() -> DigitPattern? {
            var parts: [DigitPattern] = []
            while let byte = next, byte != UInt8(ascii: "|"), byte != UInt8(ascii: ")") {
                guard var atom = atom() else { return nil }
                if next == UInt8(ascii: "?") {
                    position += 1
                    atom = .repeated(atom, min: 0, max: 1)
                } else if next == UInt8(ascii: "{") {
                    guard let (min, max) = bounds() else { return nil }
                    atom = .repeated(atom, min: min, max: max)
                }
                parts.append(atom)
            }
            return parts.count == 1 ? parts[0] : .sequence(parts)
        }

        private mutating func atom() -> DigitPattern? {
            guard let byte = next else { return nil }
            position += 1
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                return .digit(1 << UInt16(byte - 0x30))
            case UInt8(ascii: "\\"):
                guard next == UInt8(ascii: "d") else { return nil }
                position += 1
                return .digit(0x3FF)
            case UInt8(ascii: "["):
                var set: UInt16 = 0
                while let c = next, c != UInt8(ascii: "]") {
                    guard c >= 0x30 && c <= 0x39 else { return nil }
                    position += 1
                    var last = c
                    if next == UInt8(ascii: "-") {
                        position += 1
                        guard let end = next, end >= c, end <= 0x39 else { return nil }
                        position += 1
                        last = end
                    }
                    for d in c...last { set |= 1 << UInt16(d - 0x30) }
                }
                guard next == UInt8(ascii: "]"), set != 0 else { return nil }
                position += 1
                return .digit(set)
            case UInt8(ascii: "("):
                guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "?"), bytes[position + 1] == UInt8(ascii: ":") else { return nil }
                position += 2
                guard let inner = alternation(), next == UInt8(ascii: ")") else { return nil }
                position += 1
                return inner
            default:
                return nil
            }
        }

        /// `{n}` or `{n,m}`.
        private mutating func bounds() -> (Int, Int)? {
            position += 1
            guard let min = number() else { return nil }
            var max = min
            if next == UInt8(ascii: ",") {
                position += 1
                guard let m = number(), m >= min else { return nil }
                max = m
            }
            guard next == UInt8(ascii: "}") else { return nil }
            position += 1
            return (min, max)
        }

        private mutating func number() -> Int? {
            var value: Int?
            while let c = next, c >= 0x30 && c <= 0x39 {
                value = (value ?? 0) * 10 + Int(c - 0x30)
                position += 1
                guard value! < 100 else { return nil }
            }
            return value
        }
    }
}
