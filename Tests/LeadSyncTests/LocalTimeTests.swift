import Foundation
import Testing
@testable import LeadSync

/// A call's local date, due and close dates and business hours follow the configured zone's
/// clock, daylight saving time included.
@Suite struct LocalTimeTests {
    /// The preparer's offset-and-arithmetic agrees with Foundation's calendar in the zone, the
    /// oracle, every 7 hours 13 minutes from 2019 to 2031 (each hour of the day and each weekday,
    /// across every change of daylight saving time), in zones with whole, half-hour and
    /// 45-minute offsets and half-hour changes, and before 1583, where the calendar is Julian.
    @Test(arguments: ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Chatham", "America/St_Johns", "UTC"])
    func localDatesAndBusinessHoursAgreeWithFoundationsCalendar(zone: String) throws {
        var config = CallsConfig()
        config.timeZone = try #require(TimeZone(identifier: zone))
        config.businessHours = 9 * 60 + 30..<17 * 60 + 45
        config.holidays = ["2026-12-24", "2027-01-01"]
        let preparer = CallPreparer(config: config, phones: try PhoneNormalizer(defaultRegion: "DE"))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = config.timeZone
        func date(_ d: DateComponents) -> String { Timestamp.dateText(year: d.year ?? 0, month: d.month ?? 0, day: d.day ?? 0) }
        let start = try #require(Timestamp.parse("2019-01-01T00:00:00Z")), end = try #require(Timestamp.parse("2031-01-01T00:00:00Z"))
        let early = try #require(Timestamp.parse("1500-03-01T10:00:00Z"))
        var disagreements: [String] = []
        for instant in Array(stride(from: start, to: end, by: 7 * 3600 + 13 * 60)) + [early] {
            let parts = calendar.dateComponents([.year, .month, .day, .weekday, .hour, .minute], from: instant)
            let noon = try #require(calendar.date(from: DateComponents(year: parts.year, month: parts.month, day: parts.day, hour: 12)))
            let later = try #require(calendar.date(byAdding: .day, value: 30, to: noon))
            let business = config.businessDays.contains(parts.weekday ?? 0) && !config.holidays.contains(date(parts))
                && config.businessHours.contains((parts.hour ?? 0) * 60 + (parts.minute ?? 0))
            if preparer.localDate(instant) != date(parts) || preparer.localDate(instant, plusDays: 30) != date(calendar.dateComponents([.year, .month, .day], from: later))
                || preparer.isBusinessTime(instant) != business {
                disagreements.append(Timestamp.format(instant))
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.count) instants disagree, first \(disagreements.prefix(3))")
    }
}
