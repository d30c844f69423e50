import TOMLKit

/// Owners by routing rules (SYNC_RULES.md §11): `[routing]` and its `[[routing.rules]]`.
public struct RoutingConfig: Sendable {
    /// Sources never routed (a booking tool's rows keep the rep it assigned), lower-cased.
    public var excludeSources: Set<String> = ["calendly"]
    /// The rules, in the order written: the first that matches routes the row.
    public var rules: [RoutingRule] = []

    /// No rules; Calendly excluded.
    public init() {}

    /// Reads `[routing]`: `exclude_sources` and `rules`, each checked.
    init(_ table: TOMLTable, reader: ConfigReader) throws {
        for key in table.keys {
            switch key {
            case "exclude_sources":
                excludeSources = Set(try reader.strings(table[key], "routing.exclude_sources").map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
            case "rules":
                guard let array = table[key]?.array else { throw reader.error("routing.rules", "must be a list of tables ([[routing.rules]])") }
                for (i, item) in array.enumerated() {
                    guard let rule = item.table else { throw reader.error("routing.rules[\(i + 1)]", "must be a table") }
                    rules.append(try RoutingRule(rule, index: i + 1, reader: reader))
                }
            default:
                throw reader.unknown("routing.\(key)", known: ["exclude_sources", "rules"])
            }
        }
        var names = Set<String>()
        for rule in rules where !names.insert(rule.name).inserted {
            throw reader.error("routing.rules", "two rules are named \"\(rule.name)\"; each needs its own name (the rotation is kept per name)")
        }
    }
}

/// One routing rule: conditions a row must all meet, and a team that takes the rows in a
/// weighted rotation.
public struct RoutingRule: Sendable {
    /// The rule's name, which the report shows and the rotation is kept under.
    public let name: String
    /// Conditions, each nil when not given: the row's source, country (case-insensitive), postal
    /// code (a prefix), target object.
    let sources: Set<String>?
    let countries: Set<String>?
    let postalCodePrefixes: [String]?
    let targets: Set<TargetObject>?
    /// The team's members (lower-cased emails) with their weights, in the order written.
    public let team: [(email: String, weight: Int)]

    /// The rotation's slots: each member `weight` times in a row, in the order written.
    var slots: [String] { team.flatMap { member in Array(repeating: member.email, count: member.weight) } }

    /// The team as the rotation's state records it: members, order and weights. Another team
    /// starts the rotation again at its first member.
    var teamSignature: String { team.map { "\($0.email)*\($0.weight)" }.joined(separator: ",") }

    init(_ table: TOMLTable, index: Int, reader: ConfigReader) throws {
        let at = "routing.rules[\(index)]"
        guard table.contains(key: "name") else { throw reader.error(at, "has no name") }
        name = try reader.string(table["name"], "\(at).name").trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw reader.error("\(at).name", "must not be empty") }
        let key = "routing.rules.\(name)"
        func list(_ field: String) throws -> [String]? {
            try table.contains(key: field) ? reader.strings(table[field], "\(key).\(field)").map { $0.trimmingCharacters(in: .whitespaces) } : nil
        }
        sources = try list("sources").map { Set($0.map { $0.lowercased() }) }
        countries = try list("countries").map { Set($0.map { $0.lowercased() }) }
        postalCodePrefixes = try list("postal_code_prefixes")
        targets = try list("targets").map { names in
            Set(try names.map { target in
                guard let object = TargetObject(rawValue: target.lowercased()) else {
                    throw reader.error("\(key).targets", "unknown target \"\(target)\" (\"lead\" or \"contact\")")
                }
                return object
            })
        }
        guard let members = table["team"]?.array, !members.isEmpty else {
            throw reader.error("\(key).team", "a rule needs a team: team = [{ email = \"rep@example.com\" }, …]")
        }
        team = try members.enumerated().map { i, item in
            let at = "\(key).team[\(i + 1)]"
            guard let member = item.table else { throw reader.error(at, "must be a table such as { email = \"rep@example.com\", weight = 2 }") }
            for field in member.keys where !["email", "weight"].contains(field) { throw reader.unknown("\(at).\(field)", known: ["email", "weight"]) }
            let email = try reader.string(member["email"], "\(at).email").trimmingCharacters(in: .whitespaces).lowercased()
            guard MatchKeys.isValidEmail(email) else { throw reader.error("\(at).email", "must be a CRM user's email, got \"\(email)\"") }
            let weight = member.contains(key: "weight") ? try reader.int(member["weight"], "\(at).weight", min: 1) : 1
            return (email, weight)
        }
        for field in table.keys where !["name", "sources", "countries", "postal_code_prefixes", "targets", "team"].contains(field) {
            throw reader.unknown("\(key).\(field)", known: ["name", "sources", "countries", "postal_code_prefixes", "targets", "team"])
        }
    }

    /// Whether a row of `source`, `country`, `postalCode` and `target` meets every condition given.
    func matches(source: String?, country: String?, postalCode: String?, target: TargetObject) -> Bool {
        func clean(_ s: String?) -> String { MatchKeys.trim(s ?? "") }
        if let sources, !sources.contains(clean(source).lowercased()) { return false }
        if let countries, !countries.contains(clean(country).lowercased()) { return false }
        if let prefixes = postalCodePrefixes {
            let code = clean(postalCode)
            if !prefixes.contains(where: { !$0.isEmpty && code.hasPrefix($0) }) { return false }
        }
        if let targets, !targets.contains(target) { return false }
        return true
    }
}
