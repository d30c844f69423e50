import Foundation
import Testing
@testable import LeadSync

/// The phone keys agree with libphonenumber on the shared cases (SYNC_RULES.md §3).
@Suite struct PhoneNormalizerTests {
    struct Case { let raw, region, e164, ext: String; let line: Int }

    static func cases() throws -> [Case] {
        let lines = try Fixtures.text("phone_cases.tsv").split(separator: "\n", omittingEmptySubsequences: false)
        return lines.enumerated().dropFirst().compactMap { index, line in
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 4 else { return nil }
            return Case(raw: f[0], region: f[1], e164: f[2], ext: f[3], line: index + 1)
        }
    }

    @Test func agreesWithLibphonenumberOnTheSharedCases() throws {
        let cases = try Self.cases()
        #expect(cases.count == 3000)
        var normalizers: [String: PhoneNormalizer] = [:]
        var disagreements: [String] = []
        for c in cases {
            let n = try normalizers[c.region] ?? PhoneNormalizer(defaultRegion: c.region)
            normalizers[c.region] = n
            let key = n.normalize(c.raw)
            if (key.e164 ?? "") != c.e164 || key.extensionDigits != c.ext {
                disagreements.append("line \(c.line): \(c.raw.debugDescription) [\(c.region)] expected \(c.e164.isEmpty ? "-" : c.e164) ext \(c.ext.isEmpty ? "-" : c.ext), got \(key.e164 ?? "-") ext \(key.extensionDigits.isEmpty ? "-" : key.extensionDigits)")
            }
        }
        let agreement = Double(cases.count - disagreements.count) / Double(cases.count)
        print("phone cases: \(cases.count - disagreements.count)/\(cases.count) agree (\(String(format: "%.2f", agreement * 100))%)")
        for d in disagreements { print("  disagreement \(d)") }
        #expect(agreement >= 0.995, "\(disagreements.count) disagreements:\n\(disagreements.joined(separator: "\n"))")
    }

    /// The byte path for plainly typed numbers must give what the general path gives, in regions
    /// whose prefixes are digits, patterns or none, for numbers typed in national, international
    /// and odd forms.
    @Test func simpleNumbersTakeTheGeneralPathsKey() throws {
        var rng = SystemRandomNumberGenerator()
        let regions = ["DE", "US", "GB", "GG", "FR", "IT", "RU", "AU", "BR", "AR", "MX", "JP", "CN", "IN", "CA", "CH", "AT", "NL", "KR", "SG"]
        let codes = [1, 7, 33, 39, 44, 49, 52, 54, 55, 61, 81, 86, 91, 212, 351, 380, 971, 999, 0]
        let prefixes = ["+", "00", "0", "", "011", "810", "+0", "0049", "49", "001", "(0)", "++"]
        let separators = ["", " ", "-", ".", "/", "(", ")", " / "]
        var fast = 0, total = 0
        for region in regions {
            let n = try PhoneNormalizer(defaultRegion: region)
            for _ in 0..<600 {
                var typed = prefixes.randomElement(using: &rng)!
                if Bool.random(using: &rng), let code = codes.randomElement(using: &rng), code > 0 { typed += String(code) }
                for _ in 0..<Int.random(in: 0...12, using: &rng) {
                    typed += separators.randomElement(using: &rng)! + String(Int.random(in: 0...9, using: &rng))
                }
                total += 1
                let general = n.generalKey(typed)
                if let simple = n.simpleKey(typed) {
                    fast += 1
                    #expect(simple == general, "\(typed.debugDescription) [\(region)]")
                }
            }
        }
        print("phone keys: \(fast) of \(total) typed numbers took the byte path")
        #expect(fast > total / 3)
        #expect(try PhoneNormalizer(defaultRegion: "DE").simpleKey("030 1234567") == PhoneKey(e164: "+49301234567", extensionDigits: ""))
        #expect(try PhoneNormalizer(defaultRegion: "DE").simpleKey("030 1234567 ext. 12") == nil, "an extension takes the general path")
    }

    /// Every national number pattern of the metadata is read without a regex engine
    /// (`DigitPattern`), and must match exactly what NSRegularExpression matches: numbers drawn
    /// from the pattern itself, the same with one digit changed, added or dropped, and random
    /// digits, in every region.
    @Test func digitPatternsMatchAsTheRegexDoes() throws {
        var rng = SystemRandomNumberGenerator()
        func sample(_ p: DigitPattern.Node) -> [UInt8] {
            switch p {
            case .digit(let set):
                let digits = (0..<10).filter { set & (1 << UInt16($0)) != 0 }
                return [UInt8(0x30 + digits.randomElement(using: &rng)!)]
            case .sequence(let parts): return parts.flatMap(sample)
            case .either(let parts): return sample(parts.randomElement(using: &rng)!)
            case .repeated(let part, let min, let max): return (0..<Int.random(in: min...max, using: &rng)).flatMap { _ in sample(part) }
            }
        }
        var matched = 0, checked = 0
        for meta in PhoneMetadata.regions {
            let region = try #require(CompiledRegion.forKey(meta.key))
            let pattern = try #require(region.nationalDigitPattern, "\(meta.key): \(meta.nationalNumberPattern) does not parse")
            for _ in 0..<60 {
                let drawn = sample(pattern.tree)
                var candidates = [drawn, drawn + [0x35], Array(drawn.dropLast()), Array(drawn.dropFirst())]
                if !drawn.isEmpty {
                    var changed = drawn
                    changed[Int.random(in: 0..<drawn.count, using: &rng)] = UInt8(0x30 + Int.random(in: 0...9, using: &rng))
                    candidates.append(changed)
                }
                candidates.append((0..<Int.random(in: 1...17, using: &rng)).map { _ in UInt8(0x30 + Int.random(in: 0...9, using: &rng)) })
                for digits in candidates {
                    let number = String(decoding: digits, as: UTF8.self)
                    let regex = region.matchesNationalPatternByRegex(number)
                    #expect(region.matchesNationalPattern(digits: digits) == regex, "\(meta.key) \(meta.nationalNumberPattern): \(number)")
                    checked += 1
                    if regex { matched += 1 }
                }
            }
        }
        #expect(matched > checked / 5, "the numbers drawn from the patterns match them")
        #expect(DigitPattern.parse("(?:1|2") == nil && DigitPattern.parse("\\w") == nil && DigitPattern.parse("[a-z]") == nil)
    }

    @Test func unknownRegionIsRefused() {
        #expect(throws: UsageError.self) { try PhoneNormalizer(defaultRegion: "XX") }
        #expect(PhoneNormalizer.isKnownRegion("de"))
        #expect(!PhoneNormalizer.isKnownRegion("XX"))
    }

    @Test(arguments: [
        ("030 1234567", "+49301234567", ""),
        ("+49 (0) 30 1234567 ext. 12", "+49301234567", "12"),
        ("0049 30 1234567", "+49301234567", ""),
        ("tel:+4930128836", "+4930128836", ""),
        ("", nil, ""),
        ("n/a", nil, ""),
    ] as [(String, String?, String)])
    func germanNumbers(raw: String, e164: String?, ext: String) throws {
        let key = try PhoneNormalizer(defaultRegion: "DE").normalize(raw)
        #expect(key.e164 == e164)
        #expect(key.extensionDigits == ext)
    }
}
