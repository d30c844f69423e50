import Foundation
import Logging

/// swift-log to stderr at the level `LEADSYNC_LOG_LEVEL` names (default warning), set up once
/// per process: by the command before a run, and by the tests for the runs they make in-process
/// (the default handler would log every run's phase times at info).
public enum LogSetup {
    /// Sets it up; later calls do nothing.
    public static func once() { _ = bootstrapped }

    private static let bootstrapped: Void = {
        let level = ProcessInfo.processInfo.environment["LEADSYNC_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }()
}
