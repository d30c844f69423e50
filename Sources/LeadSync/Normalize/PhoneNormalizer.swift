import Foundation

/// One region's parsing metadata, generated from libphonenumber (see `PhoneMetadata.swift`).
struct PhoneRegionMetadata: Sendable {
    let key: String
    let countryCode: Int
    let internationalPrefix: String
    let nationalPrefixForParsing: String
    let nationalPrefixTransformRule: String
    let nationalNumberPattern: String
    let possibleLengths: [Int]
    let localOnlyLengths: [Int]
}

/// A phone number's match key: E.164 when the number has a possible length for its country
/// (else `nil`), and the extension split off it (empty when none, or when there is no key).
public struct PhoneKey: Equatable, Sendable {
    /// `+4930123456`, or `nil` when the input gives no key.
    public let e164: String?
    /// Digits after `ext.`, `x`, `#`…, or empty.
    public let extensionDigits: String
}

/// Parses phone numbers the way libphonenumber's `parse` does with a default region, then keeps
/// the E.164 form when `is_possible_number` would say yes. Thread-safe; regexes compile once.
public final class PhoneNormalizer: @unchecked Sendable {
    /// The region for numbers typed without a country code.
    public let defaultRegion: String
    private let region: CompiledRegion

    /// A normaliser for `defaultRegion` (ISO 3166, e.g. `DE`).
    public init(defaultRegion: String) throws {
        let code = defaultRegion.uppercased()
        guard let compiled = CompiledRegion.forKey(code) else {
            throw UsageError("unknown phone region \"\(defaultRegion)\"")
        }
        self.defaultRegion = code
        self.region = compiled
    }

    /// Whether `code` is a region libphonenumber has metadata for.
    public static func isKnownRegion(_ code: String) -> Bool {
        code.count == 2 && CompiledRegion.byKey[code.uppercased()] != nil
    }

    /// The metadata version behind the table.
    public static var metadataVersion: String { PhoneMetadata.version }

    /// The key for one typed number.
    public func normalize(_ raw: String) -> PhoneKey {
        simpleKey(raw) ?? generalKey(raw)
    }

    /// `normalize` step by step, for any input.
    func generalKey(_ raw: String) -> PhoneKey {
        guard let parsed = parse(raw) else { return PhoneKey(e164: nil, extensionDigits: "") }
        guard let main = PhoneMetadata.mainRegion[parsed.countryCode].flatMap(CompiledRegion.forKey),
              main.lengthResult(parsed.nationalNumber).isPossible else {
            // No key, no extension: an extension means nothing without the number it belongs to.
            return PhoneKey(e164: nil, extensionDigits: "")
        }
        return PhoneKey(e164: "+\(parsed.countryCode)\(parsed.nationalNumber)", extensionDigits: parsed.extensionDigits)
    }

    /// `generalKey` on bytes for the way most numbers are typed (ASCII digits, one leading plus
    /// at most, spaces and `-().`/; at least three digits; the international and national prefixes
    /// plain digits or none), without the Strings each step of `parse` makes: a refresh keys
    /// millions of them. `nil` when the number needs the general path: any other text, or a step
    /// that would fail or needs a pattern (a national number that starts with the calling code).
    func simpleKey(_ raw: String) -> PhoneKey? {
        // The digits in a buffer on the stack, and the steps on slices of it: an array for the
        // digits and another for the key, and the slices' retains, were a third of the path.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { simpleKey(raw, digitBuffer: $0) }
    }

    private func simpleKey(_ raw: String, digitBuffer: UnsafeMutableBufferPointer<UInt8>) -> PhoneKey? {
        var count = 0
        var plus = false
        var length = 0
        for b in raw.utf8 {
            length += 1
            switch b {
            case 0x30...0x39:
                // More digits than a number with any prefix has: the general path says what it is.
                guard count < digitBuffer.count else { return nil }
                digitBuffer[count] = b
                count += 1
            case 0x2B:
                // A plus is only taken before the first digit, once.
                guard count == 0, !plus else { return nil }
                plus = true
            case 0x20, 0x2D, 0x28, 0x29, 0x2E, 0x2F: break
            default: return nil
            }
        }
        guard length <= 250, count >= 3 else { return nil }
        let digits = UnsafeBufferPointer(rebasing: digitBuffer[..<count])
        // _maybe_extract_country_code: after a plus or the international prefix, the calling code.
        var countryCode = 0
        var national = digits[...]
        if plus {
            guard let (cc, rest) = Self.callingCode(digits[...]) else { return nil }
            (countryCode, national) = (cc, rest)
        } else {
            guard let literal = region.internationalPrefixBytes else { return nil }
            // The prefix followed by 0 is not one: calling codes never start with 0.
            if digits.starts(with: literal) && digits.dropFirst(literal.count).first != 0x30 {
                guard let (cc, rest) = Self.callingCode(digits.dropFirst(literal.count)) else { return nil }
                (countryCode, national) = (cc, rest)
            } else if digits.starts(with: region.countryCodeBytes) {
                return nil
            }
        }
        let metadata: CompiledRegion
        if countryCode == 0 {
            countryCode = region.meta.countryCode
            metadata = region
        } else if countryCode == region.meta.countryCode && region.isMainRegion {
            metadata = region
        } else {
            guard let key = PhoneMetadata.mainRegion[countryCode], let other = CompiledRegion.forKey(key) else { return nil }
            metadata = other
        }
        guard national.count >= 2 else { return nil }
        // _maybe_strip_national_prefix_carrier_code with a plain-digits prefix.
        if let prefix = metadata.nationalPrefixBytes {
            if national.starts(with: prefix) {
                let rest = national.dropFirst(prefix.count)
                if !rest.isEmpty, metadata.keepsStrippedPrefix(whole: UnsafeBufferPointer(rebasing: national), rest: UnsafeBufferPointer(rebasing: rest)) {
                    switch metadata.lengthResult(count: rest.count) {
                    case .tooShort, .possibleLocalOnly, .invalidLength: break
                    default: national = rest
                    }
                }
            }
        } else if metadata.hasNationalPrefixPattern {
            return nil
        }
        guard national.count >= 2, national.count <= 17 else { return nil }
        let main = metadata.isMainRegion ? metadata : PhoneMetadata.mainRegion[countryCode].flatMap(CompiledRegion.forKey)
        guard let main, main.lengthResult(count: national.count).isPossible else { return PhoneKey(e164: nil, extensionDigits: "") }
        // "+", the calling code (1-3 digits), the national number (at most 17): at most 21 bytes.
        let e164 = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { out in
            out[0] = 0x2B
            var n = 1
            withDecimalDigits(of: UInt64(countryCode)) { digits in
                for d in digits {
                    out[n] = d
                    n += 1
                }
            }
            for d in national {
                out[n] = d
                n += 1
            }
            return String(decoding: UnsafeBufferPointer(rebasing: out[..<n]), as: UTF8.self)
        }
        return PhoneKey(e164: e164, extensionDigits: "")
    }

    /// `_extract_country_code` on digits: the first 1–3 that are a calling code, and the rest;
    /// nil when none is (or there are too few digits to hold one and a number).
    private static func callingCode(_ digits: Slice<UnsafeBufferPointer<UInt8>>) -> (Int, Slice<UnsafeBufferPointer<UInt8>>)? {
        guard digits.count > 2, let first = digits.first, first != 0x30 else { return nil }
        var value = 0
        for (i, d) in digits.prefix(3).enumerated() {
            value = value * 10 + Int(d - 0x30)
            if PhoneMetadata.mainRegion[value] != nil { return (value, digits.dropFirst(i + 1)) }
        }
        return nil
    }

    // MARK: - libphonenumber's parse, step by step

    private struct Parsed {
        var countryCode: Int
        var nationalNumber: String
        var extensionDigits: String
    }

    private func parse(_ input: String) -> Parsed? {
        guard input.count <= 250 else { return nil }
        var number: String
        var extensionDigits = ""
        if let simple = Patterns.simpleNumber(input) {
            // Digits and `+ -().`/space only: no extension, no second number, no letters.
            guard Patterns.isViableSimple(simple) else { return nil }
            number = simple
        } else {
            number = Patterns.extractPossibleNumber(input)
            if let isub = number.range(of: ";isub=") { number = String(number[..<isub.lowerBound]) }
            guard Patterns.isViable(number) else { return nil }
            if let (rest, ext) = Patterns.stripExtension(number) {
                number = rest
                extensionDigits = ext
            }
        }
        var metadata = region
        var countryCode: Int
        var national: String
        if let (cc, rest) = try? extractCountryCode(number, metadata: region) {
            countryCode = cc
            national = rest
        } else if number.first == "+" || number.first == "＋" {
            // libphonenumber retries once without the plus sign when the calling code was invalid.
            let stripped = String(number.drop(while: { $0 == "+" || $0 == "＋" }))
            guard let (cc, rest) = try? extractCountryCode(stripped, metadata: region), cc != 0 else { return nil }
            countryCode = cc
            national = rest
        } else {
            return nil
        }
        if countryCode != 0 {
            guard let key = PhoneMetadata.mainRegion[countryCode], let other = CompiledRegion.forKey(key) else { return nil }
            metadata = other
        } else {
            national += Patterns.normalize(number)
            countryCode = region.meta.countryCode
        }
        guard national.count >= 2 else { return nil }
        let (stripped, didStrip) = metadata.stripNationalPrefix(national)
        if didStrip {
            switch metadata.lengthResult(stripped) {
            case .tooShort, .possibleLocalOnly, .invalidLength: break
            default: national = stripped
            }
        }
        guard national.count >= 2, national.count <= 17 else { return nil }
        return Parsed(countryCode: countryCode, nationalNumber: national, extensionDigits: extensionDigits)
    }

    private struct ParseFailure: Error {}

    /// `_maybe_extract_country_code`: (0, "") means the default region's code applies.
    private func extractCountryCode(_ number: String, metadata: CompiledRegion) throws -> (Int, String) {
        guard !number.isEmpty else { return (0, "") }
        let (fromDefault, full) = metadata.stripInternationalPrefixAndNormalize(number)
        if !fromDefault {
            guard full.count > 2 else { throw ParseFailure() }
            let (cc, rest) = Patterns.extractCountryCode(full)
            guard cc != 0 else { throw ParseFailure() }
            return (cc, rest)
        }
        let ccString = String(metadata.meta.countryCode)
        if full.hasPrefix(ccString) {
            let potential = String(full.dropFirst(ccString.count))
            let (afterPrefix, _) = metadata.stripNationalPrefix(potential)
            if (!metadata.matchesNationalPattern(full) && metadata.matchesNationalPattern(afterPrefix))
                || metadata.lengthResult(full) == .tooLong {
                return (metadata.meta.countryCode, afterPrefix)
            }
        }
        return (0, "")
    }
}

/// libphonenumber's answers to "is this length possible".
enum LengthResult: Equatable {
    case possible, possibleLocalOnly, tooShort, tooLong, invalidLength
    var isPossible: Bool { self == .possible || self == .possibleLocalOnly }
}

/// One region's metadata with its patterns compiled.
final class CompiledRegion: @unchecked Sendable {
    let meta: PhoneRegionMetadata
    private let internationalPrefix: NSRegularExpression?
    private let nationalPrefix: NSRegularExpression?
    /// The prefixes when they are plain digits (`00`, `0`): matched without a regex.
    private let internationalPrefixLiteral: String?
    private let nationalPrefixLiteral: String?
    private let nationalPattern: NSRegularExpression?
    /// The same pattern without a regex engine (`DigitPattern`), when it parses (every pattern of
    /// the metadata does; a test checks both agree).
    let nationalDigitPattern: DigitPattern?
    /// The literal prefixes and the calling code as ASCII digits, for `PhoneNormalizer.simpleKey`.
    let internationalPrefixBytes: [UInt8]?
    let nationalPrefixBytes: [UInt8]?
    let countryCodeBytes: [UInt8]
    /// Whether the national prefix is a pattern (not plain digits).
    var hasNationalPrefixPattern: Bool { nationalPrefix != nil && nationalPrefixLiteral == nil }
    /// Whether this region is its calling code's main region (whose lengths decide a key).
    let isMainRegion: Bool

    static let byKey: [String: PhoneRegionMetadata] = Dictionary(PhoneMetadata.regions.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
    private static let lock = NSLock()
    nonisolated(unsafe) private static var compiled: [String: CompiledRegion] = [:]

    static func forKey(_ key: String) -> CompiledRegion? {
        lock.lock()
        defer { lock.unlock() }
        if let c = compiled[key] { return c }
        guard let meta = byKey[key] else { return nil }
        let c = CompiledRegion(meta)
        compiled[key] = c
        return c
    }

    private init(_ meta: PhoneRegionMetadata) {
        self.meta = meta
        internationalPrefix = meta.internationalPrefix.isEmpty ? nil : try? NSRegularExpression(pattern: meta.internationalPrefix)
        nationalPrefix = meta.nationalPrefixForParsing.isEmpty ? nil : try? NSRegularExpression(pattern: meta.nationalPrefixForParsing)
        nationalPattern = try? NSRegularExpression(pattern: "(?:\(meta.nationalNumberPattern))$")
        nationalDigitPattern = DigitPattern.parse(meta.nationalNumberPattern)
        let isDigits: (String) -> Bool = { !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
        internationalPrefixLiteral = isDigits(meta.internationalPrefix) ? meta.internationalPrefix : nil
        nationalPrefixLiteral = isDigits(meta.nationalPrefixForParsing) ? meta.nationalPrefixForParsing : nil
        internationalPrefixBytes = internationalPrefixLiteral.map { Array($0.utf8) }
        nationalPrefixBytes = nationalPrefixLiteral.map { Array($0.utf8) }
        countryCodeBytes = Array(String(meta.countryCode).utf8)
        isMainRegion = PhoneMetadata.mainRegion[meta.countryCode] == meta.key
    }

    /// Whether a national number stripped of its literal national prefix keeps the strip: unless
    /// the whole number matches the national pattern and the rest does not (the rest is asked
    /// first: it is the usual answer, and one pattern match instead of two).
    func keepsStrippedPrefix(whole: some Collection<UInt8>, rest: some Collection<UInt8>) -> Bool {
        matchesNationalPattern(digits: rest) || !matchesNationalPattern(digits: whole)
    }

    /// `_match_national_number`: the whole number (ASCII digits) matches the general pattern.
    func matchesNationalPattern(digits: some Collection<UInt8>) -> Bool {
        guard let nationalDigitPattern else { return matchesNationalPatternByRegex(String(decoding: digits, as: UTF8.self)) }
        return digits.withByteBuffer(nationalDigitPattern.matchesWhole)
    }

    /// `matchesNationalPattern(digits:)` of a string.
    func matchesNationalPattern(_ number: String) -> Bool { matchesNationalPattern(digits: number.utf8) }

    /// `matchesNationalPattern` through NSRegularExpression: for a pattern `DigitPattern` cannot
    /// read, and the test that checks the two agree.
    func matchesNationalPatternByRegex(_ number: String) -> Bool {
        guard let nationalPattern else { return false }
        return nationalPattern.firstMatch(in: number, options: .anchored, range: NSRange(number.startIndex..., in: number)) != nil
    }

    /// `_test_number_length` for the general description.
    func lengthResult(_ number: String) -> LengthResult {
        lengthResult(count: number.count)
    }

    /// `lengthResult` of a number of `actual` digits.
    func lengthResult(count actual: Int) -> LengthResult {
        let lengths = meta.possibleLengths
        guard let minimum = lengths.first, let maximum = lengths.last else { return .invalidLength }
        if meta.localOnlyLengths.contains(actual) { return .possibleLocalOnly }
        if actual == minimum { return .possible }
        if actual < minimum { return .tooShort }
        if actual > maximum { return .tooLong }
        return lengths.dropFirst().contains(actual) ? .possible : .invalidLength
    }

    /// `_maybe_strip_i18n_prefix_and_normalize`: (fromDefaultCountry, digits).
    func stripInternationalPrefixAndNormalize(_ number: String) -> (Bool, String) {
        if number.first == "+" || number.first == "＋" {
            return (false, Patterns.normalize(String(number.drop(while: { $0 == "+" || $0 == "＋" }))))
        }
        let digits = Patterns.normalize(number)
        if let literal = internationalPrefixLiteral {
            guard digits.hasPrefix(literal) else { return (true, digits) }
            let rest = digits.dropFirst(literal.count)
            if rest.first == "0" { return (true, digits) }
            return (false, String(rest))
        }
        guard let internationalPrefix,
              let m = internationalPrefix.firstMatch(in: digits, options: .anchored, range: NSRange(digits.startIndex..., in: digits)),
              let end = Range(m.range, in: digits)?.upperBound else {
            return (true, digits)
        }
        let rest = digits[end...]
        // Calling codes never start with 0: "00" followed by 0 is not an international prefix.
        if rest.first(where: \.isNumber) == "0" { return (true, digits) }
        return (false, String(rest))
    }

    /// `_maybe_strip_national_prefix_carrier_code`: (number, stripped).
    func stripNationalPrefix(_ number: String) -> (String, Bool) {
        guard !number.isEmpty else { return (number, false) }
        if let literal = nationalPrefixLiteral {
            // A literal prefix has no groups, so the transform rule never applies.
            guard number.hasPrefix(literal) else { return (number, false) }
            let rest = String(number.dropFirst(literal.count))
            guard keepsStrippedPrefix(whole: number.utf8, rest: rest.utf8) else { return (number, false) }
            return (rest, true)
        }
        guard let nationalPrefix else { return (number, false) }
        let range = NSRange(number.startIndex..., in: number)
        guard let m = nationalPrefix.firstMatch(in: number, options: .anchored, range: range),
              let matchEnd = Range(m.range, in: number)?.upperBound else { return (number, false) }
        let viableOriginal = matchesNationalPattern(number)
        let groups = m.numberOfRanges - 1
        let lastGroupMissing = groups == 0 || m.range(at: groups).location == NSNotFound
        if meta.nationalPrefixTransformRule.isEmpty || lastGroupMissing {
            let rest = String(number[matchEnd...])
            if viableOriginal && !matchesNationalPattern(rest) { return (number, false) }
            return (rest, true)
        }
        let replaced = nationalPrefix.replacementString(for: m, in: number, offset: 0, template: meta.nationalPrefixTransformRule)
        let transformed = replaced + number[matchEnd...]
        if viableOriginal && !matchesNationalPattern(transformed) { return (number, false) }
        return (transformed, true)
    }
}

/// The parser's region-independent patterns and helpers.
enum Patterns {
    static let extensionRegex = try? NSRegularExpression(pattern: PhoneMetadata.extensionPattern, options: [.caseInsensitive])
    static let viableRegex = try? NSRegularExpression(pattern: "(?:\(PhoneMetadata.validPhoneNumberPattern))$", options: [.caseInsensitive])
    static let unwantedEnd = try? NSRegularExpression(pattern: PhoneMetadata.unwantedEndPattern)
    static let secondNumber = try? NSRegularExpression(pattern: PhoneMetadata.secondNumberStartPattern)

    /// `_extract_possible_number`: from the first `+` or digit, without trailing junk or a second number.
    static func extractPossibleNumber(_ s: String) -> String {
        guard let start = s.firstIndex(where: { $0 == "+" || $0 == "＋" || $0.isDecimalDigit }) else { return "" }
        var number = String(s[start...])
        if let m = unwantedEnd?.firstMatch(in: number, range: NSRange(number.startIndex..., in: number)),
           let r = Range(m.range, in: number) {
            number = String(number[..<r.lowerBound])
        }
        if let m = secondNumber?.firstMatch(in: number, range: NSRange(number.startIndex..., in: number)),
           let r = Range(m.range, in: number) {
            number = String(number[..<r.lowerBound])
        }
        return number
    }

    /// The common typed formats: ASCII digits, spaces and `+-().`/`. For them
    /// `_extract_possible_number` is: from the first `+` or digit to the last digit (no letters,
    /// so no second number), and there is no extension. `nil` for any other text.
    static func simpleNumber(_ s: String) -> String? {
        var start: Int?
        var end = 0
        for (i, b) in s.utf8.enumerated() {
            switch b {
            case 0x30...0x39:
                if start == nil { start = i }
                end = i + 1
            case 0x2B:
                if start == nil { start = i }
            case 0x20, 0x2D, 0x28, 0x29, 0x2E, 0x2F: break
            default: return nil
            }
        }
        guard let start, end > start else { return "" }
        return String(decoding: Array(s.utf8)[start..<end], as: UTF8.self)
    }

    /// `_is_viable_phone_number` for `simpleNumber`'s output: two digits, or leading plus signs
    /// then at least three digits among punctuation.
    static func isViableSimple(_ s: String) -> Bool {
        let bytes = Array(s.utf8)
        guard bytes.count >= 2 else { return false }
        let isDigit: (UInt8) -> Bool = { $0 >= 0x30 && $0 <= 0x39 }
        if bytes.count == 2 && bytes.allSatisfy(isDigit) { return true }
        let body = bytes.drop(while: { $0 == 0x2B })
        return !body.contains(0x2B) && body.filter(isDigit).count >= 3
    }

    /// `_is_viable_phone_number`.
    static func isViable(_ s: String) -> Bool {
        guard s.count >= 2, let viableRegex else { return false }
        return viableRegex.firstMatch(in: s, options: .anchored, range: NSRange(s.startIndex..., in: s)) != nil
    }

    /// `_maybe_strip_extension`: (number, extension) when an extension follows a viable number.
    static func stripExtension(_ s: String) -> (String, String)? {
        guard let extensionRegex,
              let m = extensionRegex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)),
              let whole = Range(m.range, in: s) else { return nil }
        let before = String(s[..<whole.lowerBound])
        guard isViable(before) else { return nil }
        for g in 1..<m.numberOfRanges {
            if let r = Range(m.range(at: g), in: s) { return (before, String(s[r])) }
        }
        return nil
    }

    /// `_normalize`: keypad letters become digits when the number has three letters or more,
    /// every Unicode decimal digit becomes ASCII, everything else goes.
    static func normalize(_ s: String) -> String {
        if s.utf8.allSatisfy({ $0 < 0x80 }) {
            let letters = s.utf8.filter { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }.count
            if letters < 3 { return String(decoding: s.utf8.filter { $0 >= 0x30 && $0 <= 0x39 }, as: UTF8.self) }
        }
        let letters = s.unicodeScalars.filter { ("a"..."z").contains($0) || ("A"..."Z").contains($0) }.count
        var out = ""
        if letters >= 3 {
            for c in s.uppercased().unicodeScalars {
                if ("0"..."9").contains(c) { out.unicodeScalars.append(c) } else if let d = keypad[c] { out.append(d) }
            }
            return out
        }
        for c in s.unicodeScalars {
            if let v = c.properties.numericType, v == .decimal, let d = c.properties.numericValue {
                out.append(String(Int(d)))
            }
        }
        return out
    }

    private static let keypad: [Unicode.Scalar: Character] = {
        var m: [Unicode.Scalar: Character] = [:]
        let groups: [(String, Character)] = [("ABC", "2"), ("DEF", "3"), ("GHI", "4"), ("JKL", "5"), ("MNO", "6"), ("PQRS", "7"), ("TUV", "8"), ("WXYZ", "9")]
        for (letters, digit) in groups { for l in letters.unicodeScalars { m[l] = digit } }
        return m
    }()

    /// `_extract_country_code`: the first 1–3 digits that are a calling code.
    static func extractCountryCode(_ digits: String) -> (Int, String) {
        guard let first = digits.first, first != "0" else { return (0, digits) }
        for length in 1...min(3, digits.count) {
            if let cc = Int(digits.prefix(length)), PhoneMetadata.mainRegion[cc] != nil {
                return (cc, String(digits.dropFirst(length)))
            }
        }
        return (0, digits)
    }
}

extension Character {
    /// A decimal digit in any script (what Python's `\d` and `unicodedata.digit` accept).
    var isDecimalDigit: Bool { unicodeScalars.first?.properties.numericType == .decimal }
}
