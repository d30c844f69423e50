import Foundation
@testable import LeadSync

/// A PostgreSQL server for one test that restarts, stops or freezes it, started with
/// scripts/pg-test-server.sh on a free port. Every server command runs with its output in a log
/// file, never in a pipe of the test: a restarted postmaster keeps the descriptors it inherits.
final class OwnPostgresServer {
    let directory: URL
    let url: String
    private var data: URL { directory.appendingPathComponent("pg/data") }

    /// Whether this machine has PostgreSQL's server programs (make test installs them).
    static var isAvailable: Bool { TestEngine.postgresURL != nil }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("leadsync-own-pg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        chmod(directory.path, 0o755)
        let out = directory.appendingPathComponent("start.out")
        let status = try Self.shell("bash '\(Fixtures.packageRoot.path)/scripts/pg-test-server.sh' start '\(directory.path)/pg' > '\(out.path)' 2>&1")
        let text = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
        guard status == 0, let line = text.split(separator: "\n").last(where: { $0.hasPrefix("postgresql://") }) else {
            throw UsageError("could not start a PostgreSQL server: \(text)")
        }
        url = String(line)
    }

    deinit {
        _ = try? Self.shell("bash '\(Fixtures.packageRoot.path)/scripts/pg-test-server.sh' stop '\(directory.path)/pg' >/dev/null 2>&1")
        try? FileManager.default.removeItem(at: directory)
    }

    /// `pg_ctl restart -m immediate`: every connection is cut, the server comes back.
    func restartImmediately() throws {
        let status = try Self.shell("\(asOwner) \"$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/pg_ctl\" -D '\(data.path)' -l '\(data.path)/server.log' -m immediate -w -t 60 restart >>'\(directory.path)/pg_ctl.log' 2>&1")
        guard status == 0 else { throw UsageError("pg_ctl restart failed") }
    }

    /// The postmaster's process id.
    var postmasterPID: pid_t {
        get throws {
            let text = try String(contentsOf: data.appendingPathComponent("postmaster.pid"), encoding: .utf8)
            return pid_t(text.split(separator: "\n").first.map(String.init) ?? "") ?? 0
        }
    }

    /// A database on this server, for `TestDatabase`.
    func database(_ name: String, directory: URL) throws -> TestDatabase {
        let admin = try openDatabase(try DatabaseLocation(parsing: url))
        try admin.executeScript("CREATE DATABASE \(name)", name: "create_test_database")
        var components = URLComponents(string: url)
        components?.path = "/\(name)"
        return TestDatabase(engine: .postgres, url: components?.string ?? url, directory: directory)
    }

    private var asOwner: String { getuid() == 0 ? "runuser -u postgres --" : "" }

    /// Runs a bash command and waits for it. Not through Foundation's Process: a postmaster the
    /// command starts would inherit the descriptor Process watches for the child's exit, and the
    /// wait would last as long as the server. The command closes every inherited descriptor
    /// above stderr first, for the same reason.
    @discardableResult
    static func shell(_ command: String) throws -> Int32 {
        let script = "for fd in /proc/$$/fd/*; do fd=${fd##*/}; [ \"$fd\" -gt 2 ] && eval \"exec $fd>&-\"; done 2>/dev/null; exec </dev/null; " + command
        var pid: pid_t = 0
        let args = ["/bin/bash", "-c", script]
        let cArgs = args.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        let status = posix_spawn(&pid, "/bin/bash", nil, nil, cArgs, environ)
        guard status == 0 else { throw UsageError("posix_spawn failed: \(status)") }
        var exit: Int32 = 0
        while waitpid(pid, &exit, 0) < 0 && errno == EINTR {}
        return (exit >> 8) & 0xFF
    }
}

/// A `leadsync` process running in the background, its output in files (not pipes).
final class BackgroundJob {
    let process = Process()
    let stdout: URL
    let stderr: URL
    let started = Date()

    init(_ arguments: [String], environment: [String: String], directory: URL) throws {
        stdout = directory.appendingPathComponent("job-\(UUID().uuidString.prefix(6)).out")
        stderr = directory.appendingPathComponent("job-\(UUID().uuidString.prefix(6)).err")
        _ = FileManager.default.createFile(atPath: stdout.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
        process.executableURL = CLI.executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "LEADSYNC_DATABASE_URL")
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: stdout)
        process.standardError = try FileHandle(forWritingTo: stderr)
        try process.run()
    }

    /// Waits at most `seconds`; kills the process when it is still running then. Returns the exit
    /// status and the seconds it ran, or nil when it had to be killed.
    func wait(atMost seconds: Double) -> (status: Int32, seconds: Double)? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return (process.terminationStatus, Date().timeIntervalSince(started))
    }

    var errorText: String { (try? String(contentsOf: stderr, encoding: .utf8)) ?? "" }
    var outputText: String { (try? String(contentsOf: stdout, encoding: .utf8)) ?? "" }
}
