/// A national number pattern from libphonenumber's metadata, matched against a string of digits
/// without a regular-expression engine. The patterns use a small part of the syntax: digits,
/// `\d`, classes of digits and ranges (`[2-46-9]`), non-capturing groups `(?:…)`, alternation,
/// `?` and `{n}` / `{n,m}`. `parse` returns nil for anything else, and the caller then keeps
/// NSRegularExpression. NSRegularExpression cost about 8,000 instructions per match here (the
/// string bridged to UTF-16, a result object), one match for every number written with its
/// national prefix.
struct DigitPattern: Sendable {
    /// The pattern as parsed.
    indirect enum Node: Sendable {
        /// One digit out of a set (bit d set for digit d).
        case digit(UInt16)
        /// The parts one after the other.
        case sequence([Node])
        /// Any one of the parts.
        case either([Node])
        /// The part `min` to `max` times.
        case repeated(Node, min: Int, max: Int)
    }

    /// The tree `parse` read.
    let tree: Node
    /// The same tree flattened into plain values, which `matchesWhole` walks by index: walking
    /// the enum retained and released every node and array it passed (perf: two thirds of the
    /// matcher's time, a seventh of a cold run's client CPU).
    private let ops: [Op]
    /// The parts of each sequence and alternation, as positions in `ops` (`Op.first`, `Op.count`).
    private let parts: [Int32]

    private struct Op {
        enum Kind: UInt8 { case digit, sequence, either, repeated }
        var kind: Kind
        /// `.digit`: the set of digits.
        var set: UInt16 = 0
        /// `.repeated`: the bounds.
        var min: Int32 = 0, max: Int32 = 0
        /// `.sequence`, `.either`: where its parts start in `parts`, and how many; `.repeated`:
        /// the position of its part in `ops`.
        var first: Int32 = 0, count: Int32 = 0
    }

    init(_ tree: Node) {
        self.tree = tree
        var ops: [Op] = []
        var parts: [Int32] = []
        @discardableResult
        func add(_ node: Node) -> Int32 {
            let at = Int32(ops.count)
            switch node {
            case .digit(let set):
                ops.append(Op(kind: .digit, set: set))
            case .sequence(let nodes), .either(let nodes):
                let isSequence = if case .sequence = node { true } else { false }
                ops.append(Op(kind: isSequence ? .sequence : .either))
                // The parts are added first, then listed together.
                let positions = nodes.map { add($0) }
                ops[Int(at)].first = Int32(parts.count)
                ops[Int(at)].count = Int32(positions.count)
                parts += positions
            case .repeated(let inner, let min, let max):
                ops.append(Op(kind: .repeated, min: Int32(min), max: Int32(max)))
                ops[Int(at)].first = add(inner)
            }
            return at
        }
        add(tree)
        self.ops = ops
        self.parts = parts
    }

    /// Whether all of `digits` (ASCII) matches the pattern; false for any other byte.
    func matchesWhole(_ digits: UnsafeBufferPointer<UInt8>) -> Bool {
        // Positions as bits: a number has at most 17 digits; longer text cannot be a number.
        guard digits.count < 32, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
        return ops.withUnsafeBufferPointer { ops in
            parts.withUnsafeBufferPointer { parts in
                Self.ends(0, from: 1, ops: ops, parts: parts, digits: digits) & (1 << UInt32(digits.count)) != 0
            }
        }
    }

    /// The positions op `at` can end at, starting from any position in `starts` (bit p:
    /// position p), over ASCII digits.
    private static func ends(_ at: Int32, from starts: UInt32, ops: UnsafeBufferPointer<Op>, parts: UnsafeBufferPointer<Int32>,
                             digits: UnsafeBufferPointer<UInt8>) -> UInt32 {
        let op = ops[Int(at)]
        switch op.kind {
        case .digit:
            var out: UInt32 = 0
            var rest = starts
            while rest != 0 {
                let p = rest.trailingZeroBitCount
                rest &= rest - 1
                if p < digits.count && op.set & (1 << UInt16(digits[p] - 0x30)) != 0 { out |= 1 << UInt32(p + 1) }
            }
            return out
        case .sequence:
            var current = starts
            var k = op.first
            while k < op.first + op.count && current != 0 {
                current = ends(parts[Int(k)], from: current, ops: ops, parts: parts, digits: digits)
                k += 1
            }
            return current
        case .either:
            var out: UInt32 = 0
            for k in op.first..<(op.first + op.count) { out |= ends(parts[Int(k)], from: starts, ops: ops, parts: parts, digits: digits) }
            return out
        case .repeated:
            var out: UInt32 = op.min == 0 ? starts : 0
            var current = starts
            var times: Int32 = 0
            while times < op.max && current != 0 {
                current = ends(op.first, from: current, ops: ops, parts: parts, digits: digits)
                times += 1
                if times >= op.min { out |= current }
            }
            return out
        }
    }

    /// The pattern `text`, or nil when it uses syntax beyond the subset above.
    static func parse(_ text: String) -> DigitPattern? {
        var parser = Parser(bytes: Array(text.utf8))
        guard let tree = parser.alternation(), parser.position == parser.bytes.count else { return nil }
        return DigitPattern(tree)
    }

    private struct Parser {
        let bytes: [UInt8]
        var position = 0

        private var next: UInt8? { position < bytes.count ? bytes[position] : nil }

        mutating func alternation() -> Node? {
            var parts: [Node] = []
            repeat {
                if next == UInt8(ascii: "|") { position += 1 }
                guard let part = sequence() else { return nil }
                parts.append(part)
            } while next == UInt8(ascii: "|")
            return parts.count == 1 ? parts[0] : .either(parts)
        }

        private mutating func sequence() -> Node? {
            var parts: [Node] = []
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

        private mutating func atom() -> Node? {
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
