import Foundation
import Testing
@testable import LeadSync

/// Timestamps are stored in UTC, and what is not one is refused.
@Suite struct TimestampTests {
    @Test(arguments: [
        ("2026-11-17T12:00:07+00:00", "2026-11-17T12:00:07.000Z"),
        ("2026-11-17T12:00:07Z", "2026-11-17T12:00:07.000Z"),
        ("2026-11-17 13:00:07.250+01:00", "2026-11-17T12:00:07.250Z"),
        ("2026-11-17T12:00", "2026-11-17T12:00:00.000Z"),
        ("2026-11-17", "2026-11-17T00:00:00.000Z"),
        ("2026-11-17T07:00:07-05:00", "2026-11-17T12:00:07.000Z"),
        ("2026-11-17t12:00:07,5z", "2026-11-17T12:00:07.500Z"),
        (" 2026-11-17T14:30:07+0230 ", "2026-11-17T12:00:07.000Z"),
    ])
    func timestampsAreStoredInUTC(input: String, stored: String) throws {
        let date = try #require(Timestamp.parse(input))
        #expect(Timestamp.format(date) == stored)
    }

    @Test(arguments: ["yesterday", "2026-13-01", "2026-02-30T00:00:00Z", "2026-11-17T25:00", "", "2026-11-17T12:00:07.",
                      "2026-11-17T12:00:07+0", "2026-11-17X12:00", "2026-11-17T12:00:07Zulu"])
    func badTimestampsAreRefused(input: String) {
        #expect(Timestamp.parse(input) == nil)
    }
}
