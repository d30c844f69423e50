import Foundation
import TOMLKit

/// CRM objects a captured contact can become.
public enum TargetObject: String, Sendable, CaseIterable, Hashable {
    case lead
    case contact

    /// Salesforce's name, for messages.
    public var displayName: String { self == .lead ? "Lead" : "Contact" }
}

/// Whether exported Contacts get their Account (SYNC_RULES.md §10).
public enum ContactAccount: String, Sendable {
    /// Written without an account.
    case none
    /// The business Account with the same company key, when there is one.
    case match
    /// That, else one new Account per company key.
    case matchOrCreate = "match_or_create"
}

/// Everything the job reads from `--config` (TOML), with the defaults SYNC_RULES.md gives.
/// Parsing checks every key and value, so a broken file stops the command before it touches data.
public struct Configuration: Sendable {
    /// Database URL from the file; `--database` and `LEADSYNC_DATABASE_URL` win over it.
    public var database: String?
    /// Email of the integration admin who owns rows whose capturer is not an active CRM user.
    public var fallbackOwner: String?
    /// ISO 3166 region for phone numbers typed without a country code.
    public var defaultRegion = "DE"
    /// Object for rows whose `target_object` is empty.
    public var defaultTarget = TargetObject.lead
    /// Minutes a captured row waits before a run takes it.
    public var settleMinutes = 5
    /// Attempts after which a row is no longer retried (`retry` leaves it failed; a run fails it
    /// with `too_many_attempts`).
    public var maxAttempts = 5
    /// Rows per batch (one transaction each).
    public var batchSize = 5000
    /// Folder for run reports.
    public var reportDir = "reports"
    /// Who receives the admin summary mail.
    public var reportTo: [String] = []
    /// `en` or `de`: the language of the mails.
    public var mailLanguage = "en"
    /// The mails' sender.
    public var mailFrom = "leadsync@localhost"
    /// A sendmail-compatible command that reads one message on stdin.
    public var sendmailCommand = "/usr/sbin/sendmail -t -oi"
    /// Schemas and timeouts.
    public var connection = ConnectionOptions()
    /// Target column → source, per object; the default mapping of SYNC_RULES.md §7 unless changed.
    public var mapping: [TargetObject: [FieldMapping]] = FieldMapping.defaults
    /// Target column → (captured value → written value).
    public var valueMaps: [String: [String: String]] = ["leadsource": ["lemontaps": "Lemontaps", "webform": "Web", "calendly": "Calendly"]]
    /// A checksum of the file's text (empty without a file), recorded with every run.
    public var checksum = ""
    /// Minutes after which an exported row Salesforce has not confirmed is listed as unconfirmed
    /// (SYNC_RULES.md §9).
    public var maxWaitMinutes = 1440
    /// Whether runs confirm or reject exported rows by what Heroku Connect wrote back (§9); off
    /// for a mirror no Heroku Connect serves.
    public var confirmations = true
    /// Whether and how exported Contacts get their Account (§10).
    public var contactAccount = ContactAccount.none
    /// Legal forms removed from the end of a company key (§10), folded like the keys.
    public var accountLegalForms = CompanyKey.defaultLegalForms
    /// Owners by routing rules (§11).
    public var routing = RoutingConfig()
    /// How call events are logged (CALL_RULES.md).
    public var calls = CallsConfig()

    /// The defaults.
    public init() {}

    /// Reads and checks a TOML file.
    public static func load(path: String) throws -> Configuration {
        let data: Data
        do {
            data = try InputFile.read(path)
        } catch let error as InputFileError {
            throw ConfigError(file: path, key: nil, problem: "cannot read the file: \(error.reason)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, key: nil, problem: "is not UTF-8 text")
        }
        return try parse(text, file: path)
    }

    /// Parses TOML text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws -> Configuration {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigError(file: file, key: nil, problem: "line \(error.source.begin.line): \(error.description)")
        }
        var config = Configuration()
        config.checksum = fnv1a64Hex(text)
        let reader = ConfigReader(file: file)
        for key in table.keys {
            let value = table[key]
            switch key {
            case "database": config.database = try reader.string(value, key)
            case "fallback_owner":
                let owner = try reader.string(value, key).trimmingCharacters(in: .whitespaces).lowercased()
                guard owner.contains("@") else { throw reader.error(key, "must be the admin's email, got \"\(owner)\"") }
                config.fallbackOwner = owner
            case "default_region":
                let region = try reader.string(value, key).uppercased()
                guard PhoneNormalizer.isKnownRegion(region) else {
                    throw reader.error(key, "unknown region \"\(region)\" (an ISO 3166 code such as \"DE\")")
                }
                config.defaultRegion = region
            case "default_target": config.defaultTarget = try reader.target(value, key)
            case "settle_minutes": config.settleMinutes = try reader.int(value, key, min: 0)
            case "max_attempts": config.maxAttempts = try reader.int(value, key, min: 1)
            case "batch_size": config.batchSize = try reader.int(value, key, min: 1, max: 100_000)
            case "report_dir": config.reportDir = try reader.string(value, key)
            case "report_to":
                guard let array = value?.array else { throw reader.error(key, "must be a list of emails, e.g. [\"admin@example.com\"]") }
                config.reportTo = try array.map { item in
                    guard let email = item.string, MatchKeys.isValidEmail(email) else {
                    throw reader.error(key, "every entry must be a valid email address (local@domain.tld), got \"\(item.string ?? "")\"")
                }
                    return email
                }
            case "mail_language":
                let language = try reader.string(value, key).lowercased()
                guard ["en", "de"].contains(language) else { throw reader.error(key, "must be \"en\" or \"de\", got \"\(language)\"") }
                config.mailLanguage = language
            case "mail_from":
                config.mailFrom = try reader.string(value, key)
                guard MatchKeys.isValidEmail(config.mailFrom) else { throw reader.error(key, "must be a valid email address") }
            case "sendmail_command":
                config.sendmailCommand = try reader.string(value, key)
                guard !config.sendmailCommand.trimmingCharacters(in: .whitespaces).isEmpty else { throw reader.error(key, "must not be empty") }
            case "postgres":
                let t = try reader.table(value, key)
                for k in t.keys {
                    let full = "postgres.\(k)"
                    switch k {
                    case "job_schema": config.connection.jobSchema = try reader.identifier(t[k], full)
                    case "crm_schema": config.connection.crmSchema = try reader.identifier(t[k], full)
                    case "connect_timeout_seconds": config.connection.connectTimeoutSeconds = try reader.int(t[k], full, min: 1)
                    case "statement_timeout_ms": config.connection.statementTimeoutMilliseconds = try reader.int(t[k], full, min: 0)
                    default: throw reader.unknown(full, known: ["job_schema", "crm_schema", "connect_timeout_seconds", "statement_timeout_ms"])
                    }
                }
            case "sqlite":
                let t = try reader.table(value, key)
                for k in t.keys {
                    guard k == "busy_timeout_ms" else { throw reader.unknown("sqlite.\(k)", known: ["busy_timeout_ms"]) }
                    config.connection.busyTimeoutMilliseconds = try reader.int(t[k], "sqlite.\(k)", min: 0)
                }
            case "mapping":
                let t = try reader.table(value, key)
                for k in t.keys {
                    guard let object = TargetObject(rawValue: k) else { throw reader.unknown("mapping.\(k)", known: ["lead", "contact"]) }
                    config.mapping[object] = try FieldMapping.apply(overrides: try reader.table(t[k], "mapping.\(k)"),
                                                                    to: config.mapping[object] ?? [], object: object, reader: reader)
                }
            case "value_maps":
                let t = try reader.table(value, key)
                for column in t.keys {
                    let m = try reader.table(t[column], "value_maps.\(column)")
                    var map: [String: String] = [:]
                    for from in m.keys { map[from] = try reader.string(m[from], "value_maps.\(column).\(from)") }
                    config.valueMaps[column] = map
                }
            case "max_wait_minutes": config.maxWaitMinutes = try reader.int(value, key, min: 1)
            case "confirmations": config.confirmations = try reader.bool(value, key)
            case "contact_account":
                let text = try reader.string(value, key)
                guard let choice = ContactAccount(rawValue: text) else {
                    throw reader.error(key, "must be \"none\", \"match\" or \"match_or_create\", got \"\(text)\"")
                }
                config.contactAccount = choice
            case "account_legal_forms":
                config.accountLegalForms = try reader.strings(value, key).map { CompanyKey.fold($0) }.filter { !$0.isEmpty }
            case "routing": config.routing = try RoutingConfig(try reader.table(value, key), reader: reader)
            case "calls": config.calls = try CallsConfig(try reader.table(value, key), reader: reader)
            default:
                throw reader.unknown(key, known: ["database", "fallback_owner", "default_region", "default_target", "settle_minutes", "max_attempts",
                                                  "batch_size", "report_dir", "report_to", "mail_language", "mail_from", "sendmail_command", "postgres",
                                                  "sqlite", "mapping", "value_maps", "max_wait_minutes", "confirmations", "contact_account",
                                                  "account_legal_forms", "routing", "calls"])
            }
        }
        return config
    }
}

/// A configuration problem: the file, the key and what is wrong, as one line.
public struct ConfigError: Error, CustomStringConvertible, Sendable {
    /// The file's path.
    public let file: String
    /// The dotted key, when the problem is one key.
    public let key: String?
    /// What is wrong and what is expected.
    public let problem: String
    /// `config leadsync.toml: key default_target: must be "lead" or "contact", got "foo"`.
    public var description: String {
        "config \(file): " + (key.map { "key \($0): " } ?? "") + problem
    }
}

/// Typed access to TOML values with errors that name the key.
struct ConfigReader {
    let file: String

    func error(_ key: String, _ problem: String) -> ConfigError { ConfigError(file: file, key: key, problem: problem) }

    func unknown(_ key: String, known: [String]) -> ConfigError {
        error(key, "unknown key (known here: \(known.joined(separator: ", ")))")
    }

    func string(_ value: (any TOMLValueConvertible)?, _ key: String) throws -> String {
        guard let s = value?.string else { throw error(key, "must be a string") }
        return s
    }

    func int(_ value: (any TOMLValueConvertible)?, _ key: String, min: Int, max: Int = Int.max) throws -> Int {
        guard let i = value?.int else { throw error(key, "must be a whole number") }
        guard i >= min, i <= max else {
            throw error(key, max == Int.max ? "must be at least \(min), got \(i)" : "must be between \(min) and \(max), got \(i)")
        }
        return i
    }

    func bool(_ value: (any TOMLValueConvertible)?, _ key: String) throws -> Bool {
        guard let b = value?.bool else { throw error(key, "must be true or false") }
        return b
    }

    /// A list of strings, e.g. `["DE", "AT"]`.
    func strings(_ value: (any TOMLValueConvertible)?, _ key: String) throws -> [String] {
        guard let array = value?.array else { throw error(key, "must be a list of strings, e.g. [\"a\", \"b\"]") }
        return try array.map { item in
            guard let text = item.string else { throw error(key, "every entry must be a string") }
            return text
        }
    }

    func table(_ value: (any TOMLValueConvertible)?, _ key: String) throws -> TOMLTable {
        guard let t = value?.table else { throw error(key, "must be a table ([\(key)])") }
        return t
    }

    func target(_ value: (any TOMLValueConvertible)?, _ key: String) throws -> TargetObject {
        let s = try string(value, key)
        guard let t = TargetObject(rawValue: s.lowercased()) else { throw error(key, "must be \"lead\" or \"contact\", got \"\(s)\"") }
        return t
    }

    func identifier(_ value: (any TOMLValueConvertible)?, _ key: String) throws -> String {
        let s = try string(value, key)
        do { _ = try quoteIdentifier(s) } catch { throw self.error(key, "\"\(s)\" is not a plain lower-case name") }
        return s
    }
}

/// A stable 64-bit FNV-1a checksum as hex, to tell which configuration a run used.
func fnv1a64Hex(_ text: String) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
        hash ^= UInt64(byte)
        hash = hash &* 0x100_0000_01b3
    }
    return String(hash, radix: 16)
}
