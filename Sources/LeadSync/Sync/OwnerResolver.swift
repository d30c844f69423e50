/// Stage 5: the owner of an exported record (SYNC_RULES.md §6): the active CRM user who captured
/// it, else the integration admin. Users are read once per run.
struct OwnerResolver: Sendable {
    /// Active users' sfid by lower-cased email.
    let activeUsers: [String: String]
    /// The fallback owner's sfid.
    let fallbackSfid: String

    /// Reads the users and checks the fallback owner, before any row is touched.
    init(db: any Database, fallbackOwner: String?) throws {
        var active: [String: String] = [:]
        var inactive = Set<String>()
        for row in try db.rows("user_all") {
            guard let email = row.string("email_key"), let sfid = row.string("sfid") else { continue }
            if isTrue(row["isactive"]) { active[email] = active[email] ?? sfid } else { inactive.insert(email) }
        }
        guard let fallbackOwner else {
            throw UsageError("fallback_owner is not configured: set it in the config file to the integration admin's email")
        }
        guard let sfid = active[fallbackOwner] else {
            let why = inactive.contains(fallbackOwner) ? "is inactive" : "is not a CRM user"
            throw UsageError("fallback_owner \(fallbackOwner) \(why): the job needs an active user to own records; nothing was processed")
        }
        activeUsers = active
        fallbackSfid = sfid
    }

    /// (sfid, `user` or `fallback`) for a row's `captured_by`.
    func owner(capturedBy: String?) -> (sfid: String, source: String) {
        if let sfid = activeUsers[Self.userKey(capturedBy)] { return (sfid, "user") }
        return (fallbackSfid, "fallback")
    }

    /// A `captured_by` as users are looked up by: trimmed and lower-cased. ASCII takes the keys'
    /// byte path, which returns an address already in that form as it is (lower-casing made a
    /// new string per row).
    static func userKey(_ capturedBy: String?) -> String {
        let raw = capturedBy ?? ""
        return MatchKeys.asciiTrimmedLowercased(raw) ?? MatchKeys.trim(raw).lowercased()
    }
}
