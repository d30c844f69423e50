import Foundation
import Testing
@testable import LeadSync

/// The report's CSV lines, written straight from the claimed rows.
@Suite struct ReportLineTests {
    /// The report writes each CSV line straight from the claimed row (no array of fields); it
    /// must equal the RFC 4180 line of the fields, formula neutralising included.
    @Test func reportLineEqualsTheLineOfItsFields() {
        var rng = SystemRandomNumberGenerator()
        let pieces = ["", "a", "Müller", ",", "\"", "\r\n", "\n", "=1+2", "+49 30 1", "-5", "@x", "\tlead", "\rx", " ", "'", "x,y"]
        let columns = ReportRow.capturedColumns + ["attempts", "existing_lead_id"]
        for _ in 0..<2000 {
            let text = { (0..<Int.random(in: 0...3, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined() }
            let values: [SQLValue] = columns.map { _ in Bool.random(using: &rng) ? .null : .text(text()) }
            let claimed = ClaimedRow(Row(columns: columns.shuffled(using: &rng), values: values))
            let row = ReportRow(captured: claimed, status: "failed", errorCode: Bool.random(using: &rng) ? nil : text(),
                                errorMessage: text(), crmObject: "lead", crmID: Bool.random(using: &rng) ? nil : 42, crmRecord: text(),
                                ownerSfid: nil, ownerSource: text(), exportedAt: nil)
            var positions = CapturedPositions()
            #expect(row.csvLine(positions: positions.positions(for: claimed)) == ReportFiles.csvLine(row.fields))
        }
    }
}
