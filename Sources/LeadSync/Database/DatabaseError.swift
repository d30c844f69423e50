/// A failure reported by a database, safe to print: it carries the engine's error code and the
/// query's name, never bound values or credentials.
public struct DatabaseError: Error, CustomStringConvertible, Sendable {
    /// Which engine raised it.
    public let engine: Engine
    /// SQLSTATE on PostgreSQL (`23505`), the extended result code on SQLite (`SQLITE_BUSY (5)`).
    public let code: String
    /// Name of the SQL file or operation that failed (`captured_contact_claim`, `connect`).
    public let query: String
    /// The engine's primary message with values removed.
    public let message: String

    /// Creates an error; `message` must already be free of values and secrets.
    public init(engine: Engine, code: String, query: String, message: String) {
        self.engine = engine
        self.code = code
        self.query = query
        self.message = message
    }

    /// One line: engine, code, query and message.
    public var description: String {
        "\(engine.displayName) error \(code) in \(query): \(message)"
    }

    /// Whether the database refused a value (too long, constraint, wrong type): the work is sound
    /// but one row's data is not, so that row alone should fail.
    public var isDataRejection: Bool {
        switch engine {
        case .postgres: return code.hasPrefix("22") || code.hasPrefix("23")
        case .sqlite: return code.hasPrefix("SQLITE_CONSTRAINT") || code.hasPrefix("SQLITE_TOOBIG") || code.hasPrefix("SQLITE_MISMATCH")
        }
    }

    /// The connection is gone (lost, closed by a server shutting down, or abandoned after the
    /// server stopped answering): nothing more can run on it, and a batch it was writing may or
    /// may not have committed, so the run ends rather than retrying.
    public var isConnectionGone: Bool {
        engine == .postgres && (code.hasPrefix("08") || code == "57P01" || code == "57P02")
    }

    /// Whether retrying the same work can succeed (serialisation failure, deadlock, server starting,
    /// connection lost, database busy).
    public var isTransient: Bool {
        switch engine {
        case .postgres:
            return ["40001", "40P01", "57P03", "08000", "08003", "08006", "08001", "57P01"].contains(code)
        case .sqlite:
            return code.hasPrefix("SQLITE_BUSY") || code.hasPrefix("SQLITE_LOCKED")
        }
    }
}

/// The two supported engines.
public enum Engine: String, Sendable, CaseIterable {
    case postgres
    case sqlite

    /// Human name for messages.
    public var displayName: String { self == .postgres ? "PostgreSQL" : "SQLite" }
}

/// Collapses a multi-line engine message into one line and removes quoted values, so that an error
/// never prints data a row carried.
func sanitizeEngineMessage(_ raw: String, secrets: [String] = []) -> String {
    var text = raw
    for secret in secrets where !secret.isEmpty {
        text = text.replacingOccurrences(of: secret, with: "********")
    }
    let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" })
        .map { $0.trimmingCharacters(in: .whitespaces) }
        .filter { !$0.isEmpty }
    return lines.joined(separator: " ")
}

import Foundation
