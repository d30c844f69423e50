import Foundation

/// ISO-8601 timestamps in the one form both engines store and compare: UTC with milliseconds,
/// fixed width (`2026-11-17T12:00:07.000Z`), so text order is time order on SQLite.
public enum Timestamp {
    /// Parses `YYYY-MM-DD[T| ]HH:MM[:SS[.fff]][Z|±HH[:]MM]` (no zone means UTC) or a bare date;
    /// `nil` when the text is not such a timestamp.
    public static func parse(_ text: String) -> Date? {
        // Stored timestamps need no trimming: Foundation's trim bridges to NSString (a sixth of a
        // call event's preparation).
        let visible = text.utf8.first.map { (0x21..<0x7F).contains($0) } == true && text.utf8.last.map { (0x21..<0x7F).contains($0) } == true
        let trimmed = visible ? text : text.trimmingCharacters(in: .whitespaces)
        return trimmed.utf8.withByteBuffer { bytes -> Date? in
            var s = ASCIIScanner(bytes)
            guard let year = s.number(4), s.expect(0x2D), let month = s.number(2), s.expect(0x2D), let day = s.number(2) else { return nil }
            var hour = 0, minute = 0, second = 0
            var fraction = 0.0
            var offset = 0
            if !s.atEnd {
                guard s.expect(0x54) || s.expect(0x74) || s.expect(0x20) else { return nil }  // T, t or space
                guard let h = s.number(2), s.expect(0x3A), let m = s.number(2) else { return nil }
                hour = h
                minute = m
                if s.expect(0x3A) {
                    guard let sec = s.number(2) else { return nil }
                    second = sec
                    if s.expect(0x2E) || s.expect(0x2C) {
                        let digits = s.digitRun()
                        guard !digits.isEmpty else { return nil }
                        fraction = Double("0." + String(decoding: digits, as: UTF8.self)) ?? 0
                    }
                }
                if !s.atEnd {
                    if s.expect(0x5A) || s.expect(0x7A) {  // Z
                    } else if let sign = s.expect(0x2B) ? 1 : s.expect(0x2D) ? -1 : nil {  // + or -
                        guard let oh = s.number(2) else { return nil }
                        _ = s.expect(0x3A)
                        let om = s.number(2) ?? 0
                        offset = sign * (oh * 3600 + om * 60)
                    } else {
                        return nil
                    }
                }
            }
            guard s.atEnd, (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
            // The Gregorian calendar's arithmetic directly (Foundation's Calendar is most of a
            // parse); Foundation decides the rest: a leap second, and dates before the Gregorian
            // reform, where its calendar is Julian.
            if year > 1582 && second < 60 {
                guard day <= daysIn(month: month, year: year) else { return nil }
                let seconds = (daysFromEpoch(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second)
                return Date(timeIntervalSince1970: Double(seconds) + fraction - Double(offset))
            }
            var components = DateComponents()
            components.calendar = Calendar(identifier: .gregorian)
            components.timeZone = TimeZone(identifier: "UTC")
            (components.year, components.month, components.day) = (year, month, day)
            (components.hour, components.minute, components.second) = (hour, minute, second)
            guard components.isValidDate, let date = components.date else { return nil }
            return date.addingTimeInterval(fraction - Double(offset))
        }
    }

    /// The canonical stored form of `date`.
    public static func format(_ date: Date) -> String {
        var t = time_t(floor(date.timeIntervalSince1970))
        let millis = Int((date.timeIntervalSince1970 - floor(date.timeIntervalSince1970)) * 1000)
        var parts = tm()
        gmtime_r(&t, &parts)
        return dateText(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday)) + "T" + padded(Int(parts.tm_hour), 2)
            + ":" + padded(Int(parts.tm_min), 2) + ":" + padded(Int(parts.tm_sec), 2) + "." + padded(millis, 3) + "Z"
    }

    /// `yyyy-MM-dd`.
    static func dateText(year: Int, month: Int, day: Int) -> String {
        padded(year, 4) + "-" + padded(month, 2) + "-" + padded(day, 2)
    }

    /// `n` (not negative) in decimal, zero-padded to `width` digits: `String(format:)` costs a
    /// Foundation formatter per call, a tenth of a call event's preparation.
    static func padded(_ n: Int, _ width: Int) -> String {
        let digits = String(n)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// Days in `month` of `year` (Gregorian).
    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days from 1970-01-01 to a Gregorian date (Howard Hinnant's `days_from_civil`).
    static func daysFromEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The Gregorian date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
    static func civil(daysFromEpoch days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, doy - (153 * mp + 2) / 5 + 1)
    }

    /// How PostgreSQL shows a `format`ted value read back from a `timestamp` column (DateStyle
    /// ISO, which every connection sets): a space for the T, no zone, no trailing zeros in the
    /// fraction ("2026-11-30T19:51:18.120Z" is "2026-11-30 19:51:18.12").
    static func postgresText(_ stored: String) -> String {
        var text = stored.replacingOccurrences(of: "T", with: " ")
        if text.hasSuffix("Z") { text.removeLast() }
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }
}

/// Reads ASCII text byte by byte: fixed-width numbers, expected bytes, runs of digits. Shared by
/// the timestamp reader (`Timestamp.parse`).
struct ASCIIScanner {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Whether every byte was read.
    var atEnd: Bool { position == bytes.count }
    /// The next byte, nil at the end.
    private var peek: UInt8? { atEnd ? nil : bytes[position] }

    /// The number in the next `width` bytes, all decimal digits; nil (nothing read) otherwise.
    mutating func number(_ width: Int) -> Int? {
        guard position + width <= bytes.count else { return nil }
        var v = 0
        for k in position..<(position + width) {
            guard bytes[k] >= 0x30, bytes[k] <= 0x39 else { return nil }
            v = v * 10 + Int(bytes[k] - 0x30)
        }
        position += width
        return v
    }

    /// Reads `byte` when it is next.
    mutating func expect(_ byte: UInt8) -> Bool {
        guard peek == byte else { return false }
        position += 1
        return true
    }

    /// The decimal digits from here on, read.
    mutating func digitRun() -> Slice<UnsafeBufferPointer<UInt8>> {
        let start = position
        while let byte = peek, byte >= 0x30, byte <= 0x39 { position += 1 }
        return bytes[start..<position]
    }
}
