import Foundation
import Testing
@testable import LeadSync

/// The email, last-name and user keys of SYNC_RULES.md §3, and the email check of §4.
@Suite struct MatchKeyTests {
    /// ASCII keys take a fast path (no NFC, no folding); it must give what the general path gives.
    @Test func asciiKeysEqualTheGeneralPath() {
        var rng = SeededGenerator(seed: 17)
        let alphabet = Array(" \t\r\n\u{0B}\u{0C}aAzZmM09@._-+'`~ßÄ".unicodeScalars.filter { $0.isASCII })
        for _ in 0..<5000 {
            let s = String(String.UnicodeScalarView((0..<Int.random(in: 0...12, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }))
            let general = MatchKeys.trim(s.precomposedStringWithCanonicalMapping).lowercased()
            #expect(MatchKeys.email(s) == (general.isEmpty ? nil : general), "\(s.debugDescription)")
            #expect(MatchKeys.lastName(s) == MatchKeys.trim(s).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil), "\(s.debugDescription)")
        }
        #expect(MatchKeys.lastName(" Müller ") == "muller")
        #expect(MatchKeys.email(" Anna@Example.COM\u{00A0}") == "anna@example.com")
    }

    /// isValidEmail scans bytes; it must agree with the rule as first written (split on `@` and
    /// `.`) on random strings of the characters that matter (drawn from a fixed seed, so the
    /// share of valid ones is the same on every run).
    @Test func emailCheckAgreesWithTheSplitDefinition() {
        func reference(_ trimmed: String) -> Bool {
            let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty else { return false }
            guard !trimmed.unicodeScalars.contains(where: MatchKeys.isSpace) else { return false }
            let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
            return labels.count >= 2 && !labels.contains(where: \.isEmpty)
        }
        var rng = SeededGenerator(seed: 20261206)
        let alphabet = ["a", "b", "c", "@", ".", "a.b", "x.y", " ", "\t", "\u{00A0}", "\u{200B}", "é", "@@", ".."]
        var valid = 0
        for _ in 0..<20000 {
            let piece = { (0..<Int.random(in: 0...3, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined() }
            // Half look like addresses (piece@piece.piece), half are any mix.
            let s = Bool.random(using: &rng) ? "\(piece())@\(piece()).\(piece())" : piece() + piece() + piece()
            #expect(MatchKeys.isValidEmail(s) == reference(s), "\(s.debugDescription)")
            if reference(s) { valid += 1 }
        }
        #expect(valid > 100, "the random strings include valid addresses")
    }

    /// A `captured_by` taken as it is must be one trimming and lower-casing would leave alone.
    @Test(arguments: ["anna@x.example", "Anna@X.example", " anna@x.example", "anna@x.example\t", "\nBOB@x.example ",
                      "zoë@x.example", "ZOË@X.EXAMPLE", "\u{00A0}anna@x.example", "", "@", "A"])
    func userKeysEqualTrimmedLowerCase(capturedBy: String) {
        #expect(OwnerResolver.userKey(capturedBy) == MatchKeys.trim(capturedBy).lowercased())
        #expect(OwnerResolver.userKey(nil) == "")
    }
}
