import Foundation

/// One call event as a batch claimed it (CALL_RULES.md §1).
struct ClaimedCall: Sendable {
    /// `call_event.id`.
    let id: Int64
    /// The telephony tool's call id.
    let externalID: String
    /// The claim query's row: every event column.
    let result: Row
    /// When a run first made it wait (§8), nil when it never waited.
    let waitingSince: Date?
    /// Its status and `updated_at` as claimed: the outcome is written only if both are unchanged.
    let claimedStatus: SQLValue
    let claimedVersion: SQLValue

    init(_ row: Row) {
        id = row["id"].intValue ?? 0
        externalID = row.string("external_id") ?? ""
        waitingSince = row.string("waiting_since").flatMap(Timestamp.parse)
        claimedStatus = row["status"]
        claimedVersion = row["updated_at"]
        result = row
    }

    /// An event column's value, nil when NULL.
    subscript(_ column: String) -> String? { result.string(column) }
    /// An integer column, 0 when NULL.
    func int(_ column: String) -> Int { result.int(column) ?? 0 }
}

/// Which events a run's call batches claim (§1): pending ones whose call ended by `cutoff` (the
/// settle window before the run's start), and every waiting one that no batch has processed since
/// the run started (`runStartedAt`: each run takes a waiting event once, and so do the runs beside
/// it); in `[since, until)` of `started_at` when given (a backfill's window).
struct CallScope: Sendable {
    let cutoff: String
    let runStartedAt: String
    let since: String?
    let until: String?

    /// Claims up to `limit` events in processing order (`started_at`, `id`) in the caller's open
    /// transaction; only events after `after` when given (a claim ahead).
    func claim(_ db: any Database, limit: Int, after: ClaimedCall?) throws -> [ClaimedCall] {
        try db.rows("call_event_claim", ["cutoff": .text(cutoff), "run_started_at": .text(runStartedAt), "since": .optional(since), "until": .optional(until),
                                         "after_started_at": after.map { $0.result["started_at"] } ?? .null,
                                         "after_id": after.map { .integer($0.id) } ?? .null,
                                         "limit": .integer(Int64(limit))]).map(ClaimedCall.init)
    }
}

/// A claimed event checked and described (§2, §3, §7): what a later stage needs to match it and
/// write its task, or the reason it ends without one.
struct PreparedCall: Sendable {
    let row: ClaimedCall
    /// Its call type; nil when the event is invalid.
    let type: CallType?
    /// `failed` before any match: `invalid_call`, `field_too_long`.
    let failure: RowFailure?
    /// `skipped` before any match: `not_logged`, `outside_business_hours`, `no_number`.
    let skip: RowFailure?
    /// The client number in E.164: its phone key.
    let number: String?
    /// The task's columns that do not depend on the record (§7).
    let task: TaskText?

    /// What every task of the event shares.
    struct TaskText: Sendable {
        let subject: String
        /// `Completed` or `In Progress` in the activity profile.
        let status: String
        let taskSubtype: String
        let callType: String
        let duration: Int
        let disposition: String?
        /// The local date of `started_at` (`yyyy-MM-dd`).
        let activityDate: String
        let description: String
        /// The agent as typed, trimmed (the deals profile's subjects name them).
        let agent: String
        /// `started_at`, for due dates (§9).
        let startedAt: Date
    }
}

/// Checks and describes claimed events (§2–§3, §7).
struct CallPreparer: Sendable {
    let config: CallsConfig
    let phones: PhoneNormalizer
    /// Gregorian in the configured time zone, built once (building one per event was a tenth of
    /// an event's preparation).
    private let calendar: Calendar

    init(config: CallsConfig, phones: PhoneNormalizer) {
        self.config = config
        self.phones = phones
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = config.timeZone
        self.calendar = calendar
    }

    /// The longest description Salesforce takes for a Task (code points).
    static let descriptionLength = 32_000
    static let subjectLength = 255

    func prepare(_ row: ClaimedCall) -> PreparedCall {
        let channel = MatchKeys.trim(row["channel"] ?? "").lowercased()
        let direction = MatchKeys.trim(row["direction"] ?? "").lowercased()
        let outcome = MatchKeys.trim(row["outcome"] ?? "").lowercased()
        let duration = row.int("duration_seconds"), wait = row.int("wait_seconds")
        let number = MatchKeys.trim(row["client_number"] ?? "").isEmpty ? nil : phones.normalize(row["client_number"] ?? "").e164
        guard let type = Self.type(channel: channel, direction: direction, outcome: outcome), duration >= 0, wait >= 0 else {
            let problem = Self.invalidity(channel: channel, direction: direction, outcome: outcome, duration: duration, wait: wait)
            return PreparedCall(row: row, type: nil, failure: RowFailure(code: "invalid_call", message: problem), skip: nil, number: number, task: nil)
        }
        let startedAt = row["started_at"].flatMap(Timestamp.parse) ?? Date(timeIntervalSince1970: 0)
        let task = text(row, type: type, direction: direction, outcome: outcome, duration: duration, wait: wait, number: number, startedAt: startedAt)
        var failure: RowFailure?
        let length = task.description.unicodeScalars.count
        if length > Self.descriptionLength {
            failure = RowFailure(code: "field_too_long", message: "The task's description is \(length) characters long; Salesforce allows \(Self.descriptionLength).")
        } else if task.subject.unicodeScalars.count > Self.subjectLength {
            failure = RowFailure(code: "field_too_long", message: "The task's subject is \(task.subject.unicodeScalars.count) characters long; Salesforce allows \(Self.subjectLength).")
        }
        return PreparedCall(row: row, type: type, failure: failure, skip: failure == nil ? skip(type, startedAt: startedAt, number: number) : nil,
                            number: number, task: task)
    }

    /// §3 and §4's first step: a type logged `skip`, a call outside business hours (when they
    /// skip), a number without a key.
    private func skip(_ type: CallType, startedAt: Date, number: String?) -> RowFailure? {
        if config.profile == .activity && config.mode(of: type) == .skip || config.profile == .deals && config.mode(of: type) == .skip {
            return RowFailure(code: "not_logged", message: "Calls of this type (\(type.rawValue)) are not logged ([calls.log]).")
        }
        if config.skipOutsideBusinessHours && type != .sms && !isBusinessTime(startedAt) {
            return RowFailure(code: "outside_business_hours", message: "The call was outside business hours, which are not logged.")
        }
        if number == nil {
            return RowFailure(code: "no_number", message: "The client number is empty, anonymous or not a phone number.")
        }
        return nil
    }

    /// Whether `date` is a business day's business hour in the configured time zone.
    func isBusinessTime(_ date: Date) -> Bool {
        let weekday: Int, minute: Int
        if let (day, second) = local(date) {
            weekday = ((day + 4) % 7 + 7) % 7 + 1  // 1970-01-01 was a Thursday; 1 is Sunday, as Calendar counts
            minute = second / 60
        } else {
            let parts = calendar.dateComponents([.weekday, .hour, .minute], from: date)
            (weekday, minute) = (parts.weekday ?? 0, (parts.hour ?? 0) * 60 + (parts.minute ?? 0))
        }
        return config.businessDays.contains(weekday) && config.businessHours.contains(minute) && !config.holidays.contains(localDate(date))
    }

    /// `date`'s local date in the configured time zone, `yyyy-MM-dd`; `days` calendar days later
    /// when given (a day across a change of daylight saving time is still one day).
    func localDate(_ date: Date, plusDays days: Int = 0) -> String {
        if let (day, _) = local(date) {
            let (year, month, dayOfMonth) = Timestamp.civil(daysFromEpoch: day + days)
            return Timestamp.dateText(year: year, month: month, day: dayOfMonth)
        }
        var d = calendar.dateComponents([.year, .month, .day], from: date)
        if days != 0, let noon = calendar.date(from: DateComponents(year: d.year, month: d.month, day: d.day, hour: 12)),
           let later = calendar.date(byAdding: .day, value: days, to: noon) {
            d = calendar.dateComponents([.year, .month, .day], from: later)
        }
        return Timestamp.dateText(year: d.year ?? 0, month: d.month ?? 0, day: d.day ?? 0)
    }

    /// `date` in the configured zone as days since 1970-01-01 and seconds into that day: the
    /// zone's offset at that instant and Gregorian arithmetic (Foundation's calendar was a tenth
    /// of a deals batch's planning). Nil before 1583, where Foundation's calendar is Julian and
    /// decides.
    private func local(_ date: Date) -> (day: Int, second: Int)? {
        let seconds = Int(floor(date.timeIntervalSince1970)) + config.timeZone.secondsFromGMT(for: date)
        let day = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        guard day >= Self.firstGregorianDay else { return nil }
        return (day, seconds - day * 86_400)
    }

    /// 1583-01-01, the first whole Gregorian year, as days since 1970-01-01.
    private static let firstGregorianDay = Timestamp.daysFromEpoch(year: 1583, month: 1, day: 1)

    /// The task's text (§7).
    private func text(_ row: ClaimedCall, type: CallType, direction: String, outcome: String, duration: Int, wait: Int, number: String?,
                      startedAt: Date) -> PreparedCall.TaskText {
        let inbound = direction == "inbound"
        let subject: String
        switch type {
        case .sms: subject = inbound ? "Inbound SMS" : "Outbound SMS"
        case .outboundAnswered: subject = "Outbound call - answered"
        case .outboundUnanswered: subject = "Outbound call - unanswered"
        case .inboundAnswered: subject = "Inbound call - answered"
        case .missed: subject = "Inbound call - missed"
        case .voicemail: subject = "Inbound call - voicemail"
        }
        let agent = MatchKeys.trim(row["agent_email"] ?? "")
        var lines = ["Direction: \(inbound ? "Inbound" : "Outbound")"]
        if duration > 0 { lines.append("Duration: \(duration) s") }
        if wait > 0 { lines.append("Waiting time: \(wait) s") }
        for (label, column) in [("Recording", "recording_url"), ("Comments", "comments")] {
            let value = MatchKeys.trim(row[column] ?? "")
            if !value.isEmpty { lines.append("\(label): \(value)") }
        }
        let tags = (row["tags"] ?? "").split(separator: ",").map { MatchKeys.trim(String($0)) }.filter { !$0.isEmpty }
        if !tags.isEmpty { lines.append("Tags: " + tags.joined(separator: ", ")) }
        if !agent.isEmpty { lines.append("Agent: \(agent)") }
        if let number { lines.append("Number: \(number)") }
        let mode = config.mode(of: type)
        return PreparedCall.TaskText(subject: subject, status: mode == .inProgress ? "In Progress" : "Completed", taskSubtype: type == .sms ? "Task" : "Call",
                                     callType: inbound ? "Inbound" : "Outbound", duration: type == .sms ? 0 : duration,
                                     disposition: type == .sms ? nil : outcome, activityDate: localDate(startedAt),
                                     description: lines.joined(separator: "\n"), agent: agent, startedAt: startedAt)
    }

    /// The call type of a valid event; nil for an invalid one (§2).
    static func type(channel: String, direction: String, outcome: String) -> CallType? {
        switch (channel, direction, outcome) {
        case ("sms", "inbound", ""), ("sms", "outbound", ""): return .sms
        case ("call", "inbound", "answered"): return .inboundAnswered
        case ("call", "inbound", "missed"): return .missed
        case ("call", "inbound", "voicemail"): return .voicemail
        case ("call", "outbound", "answered"): return .outboundAnswered
        case ("call", "outbound", "unanswered"): return .outboundUnanswered
        default: return nil
        }
    }

    /// Why an event is invalid, in words an admin understands.
    static func invalidity(channel: String, direction: String, outcome: String, duration: Int, wait: Int) -> String {
        if !["call", "sms"].contains(channel) { return "The channel \"\(channel.prefix(40))\" is neither call nor sms." }
        if !["inbound", "outbound"].contains(direction) { return "The direction \"\(direction.prefix(40))\" is neither inbound nor outbound." }
        if duration < 0 || wait < 0 { return "The call has a negative \(duration < 0 ? "duration" : "waiting time")." }
        if channel == "sms" { return "An SMS has no outcome, got \"\(outcome.prefix(40))\"." }
        let allowed = direction == "inbound" ? "answered, missed or voicemail" : "answered or unanswered"
        return "An \(direction) call's outcome must be \(allowed), got \"\(outcome.prefix(40))\"."
    }
}
