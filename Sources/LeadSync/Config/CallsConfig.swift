import Foundation
import TOMLKit

/// `[calls]` and `[calls.log]` (CALL_RULES.md §11): how call events are logged.
public struct CallsConfig: Sendable {
    /// `activity` (one Task per call on the matched record) or `deals` (§9).
    public enum Profile: String, Sendable { case activity, deals }
    /// What a call from a number no record has creates (activity profile, §6).
    public enum UnknownNumber: String, Sendable { case nothing, contact, lead, account }
    /// What a task on a contact is attached to (activity profile, §7).
    public enum AttachTo: String, Sendable { case none, `case`, opportunity }
    /// How a call type is logged (§3).
    public enum Mode: String, Sendable { case completed, inProgress = "in_progress", skip }
    /// Whether opportunities are created for existing clients (§9).
    public enum CreateOpportunity: String, Sendable { case always, ifNoPrevious = "if_no_previous" }

    public var profile = Profile.activity
    public var unknownNumber = UnknownNumber.nothing
    public var unknownCompany = "Unknown"
    public var attachTo = AttachTo.none
    public var createCase = false
    public var timeZone = TimeZone(identifier: "Europe/Berlin") ?? .gmt
    /// Business days as `Calendar` weekdays (1 Sunday … 7 Saturday).
    public var businessDays: Set<Int> = [2, 3, 4, 5, 6]
    /// Business hours as minutes after local midnight: start inclusive, end exclusive.
    public var businessHours = 9 * 60..<18 * 60
    /// Local dates (`yyyy-MM-dd`) that are no business days.
    public var holidays: Set<String> = []
    /// Whether calls outside business hours are skipped (`skip`) or logged (`log`).
    public var skipOutsideBusinessHours = false
    /// The deals profile's top manager (an email), checked at start like `fallback_owner`.
    public var topManager: String?
    public var opportunityStage = "Prospecting"
    public var createOpportunity = CreateOpportunity.always
    public var missedTaskDueHours = 4
    /// Logging mode per call type (`CallType.rawValue`).
    public var log: [String: Mode] = ["outbound_answered": .completed, "outbound_unanswered": .completed, "inbound_answered": .completed,
                                      "missed": .inProgress, "voicemail": .inProgress, "sms": .completed]

    /// The defaults.
    public init() {}

    static let weekdays = ["sun": 1, "mon": 2, "tue": 3, "wed": 4, "thu": 5, "fri": 6, "sat": 7]
    static let keys = ["profile", "unknown_number", "unknown_company", "attach_to", "create_case", "time_zone", "business_days", "business_hours",
                       "holidays", "outside_business_hours", "top_manager", "opportunity_stage", "create_opportunity", "missed_task_due_hours", "log"]

    /// Reads `[calls]`, every key checked.
    init(_ table: TOMLTable, reader: ConfigReader) throws {
        func choice<T: RawRepresentable>(_ key: String, _: T.Type, _ allowed: [String]) throws -> T where T.RawValue == String {
            let text = try reader.string(table[key], "calls.\(key)")
            guard let value = T(rawValue: text) else {
                throw reader.error("calls.\(key)", "must be \(allowed.map { "\"\($0)\"" }.joined(separator: ", ")), got \"\(text)\"")
            }
            return value
        }
        for key in table.keys {
            let at = "calls.\(key)"
            switch key {
            case "profile": profile = try choice(key, Profile.self, ["activity", "deals"])
            case "unknown_number": unknownNumber = try choice(key, UnknownNumber.self, ["nothing", "contact", "lead", "account"])
            case "unknown_company":
                unknownCompany = try reader.string(table[key], at).trimmingCharacters(in: .whitespaces)
                guard !unknownCompany.isEmpty else { throw reader.error(at, "must not be empty: a Lead needs a company") }
            case "attach_to": attachTo = try choice(key, AttachTo.self, ["none", "case", "opportunity"])
            case "create_case": createCase = try reader.bool(table[key], at)
            case "time_zone":
                let name = try reader.string(table[key], at)
                guard let zone = TimeZone(identifier: name) else { throw reader.error(at, "unknown time zone \"\(name)\" (an IANA name such as \"Europe/Berlin\")") }
                timeZone = zone
            case "business_days":
                businessDays = Set(try reader.strings(table[key], at).map { day in
                    guard let weekday = Self.weekdays[day.trimmingCharacters(in: .whitespaces).lowercased()] else {
                        throw reader.error(at, "unknown day \"\(day)\" (mon, tue, wed, thu, fri, sat, sun)")
                    }
                    return weekday
                })
            case "business_hours":
                let text = try reader.string(table[key], at)
                guard let hours = Self.hours(text) else { throw reader.error(at, "must be \"HH:MM-HH:MM\" with the start before the end, got \"\(text)\"") }
                businessHours = hours
            case "holidays":
                holidays = Set(try reader.strings(table[key], at).map { day in
                    guard Self.isDate(day) else { throw reader.error(at, "every entry must be a date \"YYYY-MM-DD\", got \"\(day)\"") }
                    return day
                })
            case "outside_business_hours":
                let text = try reader.string(table[key], at)
                guard ["log", "skip"].contains(text) else { throw reader.error(at, "must be \"log\" or \"skip\", got \"\(text)\"") }
                skipOutsideBusinessHours = text == "skip"
            case "top_manager":
                let email = try reader.string(table[key], at).trimmingCharacters(in: .whitespaces).lowercased()
                guard email.isEmpty || MatchKeys.isValidEmail(email) else { throw reader.error(at, "must be a CRM user's email, got \"\(email)\"") }
                topManager = email.isEmpty ? nil : email
            case "opportunity_stage":
                opportunityStage = try reader.string(table[key], at).trimmingCharacters(in: .whitespaces)
                guard !opportunityStage.isEmpty else { throw reader.error(at, "must not be empty") }
            case "create_opportunity": createOpportunity = try choice(key, CreateOpportunity.self, ["always", "if_no_previous"])
            case "missed_task_due_hours": missedTaskDueHours = try reader.int(table[key], at, min: 0, max: 24 * 365)
            case "log":
                let modes = try reader.table(table[key], at)
                for type in modes.keys {
                    guard log[type] != nil else { throw reader.unknown("calls.log.\(type)", known: CallType.allCases.map(\.rawValue)) }
                    let text = try reader.string(modes[type], "calls.log.\(type)")
                    guard let mode = Mode(rawValue: text) else {
                        throw reader.error("calls.log.\(type)", "must be \"completed\", \"in_progress\" or \"skip\", got \"\(text)\"")
                    }
                    log[type] = mode
                }
            default: throw reader.unknown(at, known: Self.keys)
            }
        }
        if profile == .deals && topManager == nil {
            throw reader.error("calls.top_manager", "the deals profile needs the top manager's email")
        }
    }

    /// `"09:00-18:00"` as minutes after midnight.
    static func hours(_ text: String) -> Range<Int>? {
        let parts = text.split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let start = minutes(parts[0]), let end = minutes(parts[1]), start < end else { return nil }
        return start..<end
    }

    private static func minutes(_ text: String) -> Int? {
        let hm = text.split(separator: ":")
        guard hm.count == 2, hm[0].count == 2, hm[1].count == 2, let h = Int(hm[0]), let m = Int(hm[1]), (0...24).contains(h), (0..<60).contains(m),
              h * 60 + m <= 24 * 60 else { return nil }
        return h * 60 + m
    }

    private static func isDate(_ text: String) -> Bool {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = .gmt
        formatter.dateFormat = "yyyy-MM-dd"
        return text.count == 10 && formatter.date(from: text) != nil
    }

    /// The mode of a call type.
    func mode(of type: CallType) -> Mode { log[type.rawValue] ?? .completed }
}

/// A call event's type (CALL_RULES.md §3).
public enum CallType: String, Sendable, CaseIterable {
    case outboundAnswered = "outbound_answered", outboundUnanswered = "outbound_unanswered", inboundAnswered = "inbound_answered"
    case missed, voicemail, sms
}
