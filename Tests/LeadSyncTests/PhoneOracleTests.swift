import Foundation
import Testing
@testable import LeadSync

/// The table generalises beyond the shared cases: every region libphonenumber knows, typed in the
/// usual ways, checked against libphonenumber's answers (scripts/gen-phone-oracle.py).
@Suite struct PhoneOracleTests {
    @Test func agreesWithLibphonenumberInEveryRegion() throws {
        let lines = try Fixtures.text("phone_oracle.tsv").split(separator: "\n").dropFirst()
        var normalizers: [String: PhoneNormalizer] = [:]
        var disagreements: [String] = []
        for line in lines {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 4 else { continue }
            let n = try normalizers[f[1]] ?? PhoneNormalizer(defaultRegion: f[1])
            normalizers[f[1]] = n
            let key = n.normalize(f[0])
            if (key.e164 ?? "") != f[2] || key.extensionDigits != f[3] {
                disagreements.append("\(f[0].debugDescription) [\(f[1])] expected \(f[2].isEmpty ? "-" : f[2]) ext \(f[3].isEmpty ? "-" : f[3]), got \(key.e164 ?? "-") ext \(key.extensionDigits.isEmpty ? "-" : key.extensionDigits)")
            }
        }
        print("phone oracle: \(lines.count - disagreements.count)/\(lines.count) agree over \(normalizers.count) default regions")
        for d in disagreements { print("  disagreement \(d)") }
        #expect(lines.count > 5000)
        #expect(disagreements.isEmpty, "\(disagreements.count) disagreements:\n\(disagreements.prefix(50).joined(separator: "\n"))")
    }
}
