/// The owner of an exported record (SYNC_RULES.md §6, §11), first that applies: the rep a booking
/// tool assigned (`assigned_to`, an active CRM user), the active user who captured it, a routing
/// rule's team in rotation (sources not excluded), the integration admin. Users are read once per run.
struct OwnerResolver: Sendable {
    /// Active users' sfid by lower-cased email.
    let activeUsers: [String: String]
    /// Active users' sfids.
    let activeSfids: Set<String>
    /// The fallback owner's sfid.
    let fallbackSfid: String
    let routing: RoutingConfig

    /// A resolved owner: the user's sfid, how they were chosen (`assigned`, `user`, `routing`,
    /// `fallback`), and for `routing` the rule.
    struct Owner: Sendable {
        let sfid: String
        let source: String
        var rule: String? = nil
    }

    /// Reads the users and checks, before any row is touched, the fallback owner (an active user)
    /// and every routing team member (a CRM user; an inactive one is passed over in the rotation).
    init(db: any Database, fallbackOwner: String?, routing: RoutingConfig = RoutingConfig(), topManager: String? = nil) throws {
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
        if let topManager, active[topManager] == nil {
            let why = inactive.contains(topManager) ? "is inactive" : "is not a CRM user"
            throw UsageError("calls.top_manager \(topManager) \(why): the deals profile needs an active user for the top manager; nothing was processed")
        }
        for rule in routing.rules {
            for member in rule.team where active[member.email] == nil && !inactive.contains(member.email) {
                throw UsageError("routing rule \"\(rule.name)\": team member \(member.email) is not a CRM user; nothing was processed")
            }
        }
        activeUsers = active
        activeSfids = Set(active.values)
        fallbackSfid = sfid
        self.routing = routing
    }

    /// The owner of a record the mirror already held (no routing turn is taken for it).
    func owner(assignedTo: String?, capturedBy: String?) -> Owner {
        if let sfid = activeUsers[Self.userKey(assignedTo)] { return Owner(sfid: sfid, source: "assigned") }
        if let sfid = activeUsers[Self.userKey(capturedBy)] { return Owner(sfid: sfid, source: "user") }
        return Owner(sfid: fallbackSfid, source: "fallback")
    }

    /// The owner of a call's tasks (CALL_RULES.md §5): the agent when an active CRM user, else the
    /// top manager (the deals profile, when given) or the fallback owner.
    func owner(agent: String?, topManager: String?) -> (sfid: String, source: String) {
        if let sfid = activeUsers[Self.userKey(agent)] { return (sfid, "user") }
        if let topManager, let sfid = activeUsers[topManager] { return (sfid, "top_manager") }
        return (fallbackSfid, "fallback")
    }

    /// A CRM user's sfid when active (by email, trimmed and lower-cased).
    func activeUser(_ email: String?) -> String? { activeUsers[Self.userKey(email)] }

    /// Whether the user with `sfid` is active.
    func isActive(sfid: String) -> Bool { activeSfids.contains(sfid) }

    /// The owner of `row`, exported now: a routed row takes the next active member of its
    /// rule's rotation (`rotation`, advanced).
    func owner(of row: PreparedRow, rotation: inout RoutingRotation) -> Owner {
        let claimed = row.row
        let direct = owner(assignedTo: claimed.assignedTo, capturedBy: claimed.capturedBy)
        guard direct.source == "fallback", !routing.rules.isEmpty,
              !routing.excludeSources.contains(MatchKeys.trim(claimed["source"] ?? "").lowercased()) else { return direct }
        for rule in routing.rules
        where rule.matches(source: claimed["source"], country: claimed["country"], postalCode: claimed["postal_code"], target: row.target) {
            if let sfid = rotation.next(of: rule, activeUsers: activeUsers) { return Owner(sfid: sfid, source: "routing", rule: rule.name) }
        }
        return direct
    }

    /// A `captured_by` or `assigned_to` as users are looked up by: trimmed and lower-cased. ASCII
    /// takes the keys' byte path, which returns an address already in that form as it is.
    static func userKey(_ email: String?) -> String {
        let raw = email ?? ""
        return MatchKeys.asciiTrimmedLowercased(raw) ?? MatchKeys.trim(raw).lowercased()
    }
}

/// The routing rules' places in their rotations during one batch: read under the batch lock,
/// advanced as the batch's rows are routed in processing order, written back in the batch's
/// transaction, so runs and processes continue one rotation. A rule whose team changed (members,
/// order or weights) starts again at its first member.
struct RoutingRotation {
    private var next: [String: Int] = [:]
    private var changed = Set<String>()
    private let teams: [String: String]

    /// The rotation as `routing_rotation` holds it, for `rules`.
    init(rules: [RoutingRule], on db: any Database) throws {
        teams = Dictionary(uniqueKeysWithValues: rules.map { ($0.name, $0.teamSignature) })
        guard !rules.isEmpty else { return }
        for row in try db.rows("routing_rotation_read") {
            guard let rule = row.string("rule"), let team = teams[rule], row.string("team") == team else { continue }
            next[rule] = row.int("next_slot") ?? 0
        }
    }

    /// The next active member of `rule`'s team, its place moved past them; nil when no member is
    /// active (the rule then does not match).
    mutating func next(of rule: RoutingRule, activeUsers: [String: String]) -> String? {
        let slots = rule.slots
        let start = (next[rule.name] ?? 0) % max(slots.count, 1)
        for k in 0..<slots.count {
            guard let sfid = activeUsers[slots[(start + k) % slots.count]] else { continue }
            next[rule.name] = (start + k + 1) % slots.count
            changed.insert(rule.name)
            return sfid
        }
        return nil
    }

    /// Writes the places the batch moved, in its transaction.
    func write(on db: any Database) throws {
        for rule in changed.sorted() {
            try db.run("routing_rotation_write", ["rule": .text(rule), "team": .optional(teams[rule]), "next_slot": .optional(next[rule])])
        }
    }
}
