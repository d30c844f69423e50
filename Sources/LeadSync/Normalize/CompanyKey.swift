import Foundation

/// The company key of SYNC_RULES.md §10, by which a Contact finds its business Account: NFC, full
/// case folding (`ß` → `ss`; accents are kept), `.` `,` and `"` removed, whitespace trimmed and
/// each run of it one space, then one trailing legal form removed when words remain before it.
/// A hyphen is no space: `Foo-AG` keeps `foo-ag`.
public enum CompanyKey {
    /// The legal forms removed by default, folded.
    public static let defaultLegalForms = ["gmbh", "ag", "kg", "og", "se", "ek", "ltd", "inc", "llc", "sa", "sarl", "bv", "nv", "spa", "srl",
                                           "sp z oo", "plc", "co"]

    /// `company`'s key, `legalForms` (folded) removed from its end; nil when it is empty.
    public static func key(_ company: String?, legalForms: [String]) -> String? {
        let folded = fold(company ?? "")
        guard !folded.isEmpty else { return nil }
        var words = folded.split(separator: " ")
        // The longest form that ends the key is removed, once, if a word stays before it.
        for form in legalForms.map({ $0.split(separator: " ") }).sorted(by: { $0.count > $1.count })
        where words.count > form.count && words.suffix(form.count).elementsEqual(form) {
            words.removeLast(form.count)
            break
        }
        return words.joined(separator: " ")
    }

    /// The folding without the legal form: also how configured legal forms are read (`e.K.` is
    /// `ek`, `Sp. z o.o.` is `sp z oo`).
    public static func fold(_ text: String) -> String {
        let folded = text.precomposedStringWithCanonicalMapping.folding(options: .caseInsensitive, locale: nil)
        var out = ""
        var space = false
        for scalar in folded.unicodeScalars {
            if scalar == "." || scalar == "," || scalar == "\"" { continue }
            if MatchKeys.isSpace(scalar) {
                space = !out.isEmpty
                continue
            }
            if space { out.unicodeScalars.append(" ") }
            space = false
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}
