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

    /// The parse's own Gregorian arithmetic agrees with Foundation's calendar, the oracle, on
    /// every day from 1583 to 2100 (leap days and refused 29ths of February included) and times
    /// across each day.
    @Test func theParsesCalendarArithmeticAgreesWithFoundations() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var disagreements: [String] = []
        for year in [1583, 1600, 1700, 1899, 1900, 1969, 1970, 1999, 2000, 2024, 2026, 2100] + Array(stride(from: 1584, through: 2099, by: 7)) {
            for month in 1...12 {
                for day in [1, 15, 28, 29, 30, 31] {
                    let (hour, minute, second) = ((day * 7) % 24, (day * 13) % 60, (month * 5) % 60)
                    let text = Timestamp.padded(year, 4) + "-" + Timestamp.padded(month, 2) + "-" + Timestamp.padded(day, 2) + "T"
                        + Timestamp.padded(hour, 2) + ":" + Timestamp.padded(minute, 2) + ":" + Timestamp.padded(second, 2) + "Z"
                    let components = DateComponents(calendar: calendar, timeZone: calendar.timeZone, year: year, month: month, day: day,
                                                    hour: hour, minute: minute, second: second)
                    let expected = components.isValidDate ? components.date : nil
                    if Timestamp.parse(text) != expected { disagreements.append(text) }
                }
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(5))")
    }
}
