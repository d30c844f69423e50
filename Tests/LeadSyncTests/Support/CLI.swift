import Foundation

/// Runs the built `leadsync` executable as a user would, capturing its output and exit status.
enum CLI {
    struct Result: Sendable {
        let status: Int32
        let stdout: String
        let stderr: String
        /// stderr's non-empty lines.
        var errorLines: [String] { stderr.split(separator: "\n").map(String.init).filter { !$0.isEmpty } }
    }

    static let executable: URL = {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("leadsync")
        if FileManager.default.isExecutableFile(atPath: besideTests.path) { return besideTests }
        return Fixtures.packageRoot.appendingPathComponent(".build/debug/leadsync")
    }()

    /// Runs `leadsync ARGS` in `directory` with extra environment variables. `fileSizeLimitKB`
    /// caps every file it writes (`ulimit -f`, with SIGXFSZ ignored): a write past it fails as
    /// on a full disk.
    @discardableResult
    static func run(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:], stdin: String? = nil,
                    fileSizeLimitKB: Int? = nil) throws -> Result {
        let process = Process()
        process.executableURL = executable
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "LEADSYNC_DATABASE_URL")
        // The test server's URL carries a password, which on a command line draws the job's
        // warning; it goes through the environment instead, as users are told to do.
        var arguments = arguments
        if let i = arguments.firstIndex(of: "--database"), i + 1 < arguments.count, arguments[i + 1].hasPrefix("postgres") {
            env["LEADSYNC_DATABASE_URL"] = arguments[i + 1]
            arguments.removeSubrange(i...(i + 1))
        }
        process.arguments = arguments
        if let fileSizeLimitKB {
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["-c", "trap '' XFSZ; ulimit -f \(fileSizeLimitKB); exec \"$0\" \"$@\"", executable.path] + arguments
        }
        for (k, v) in environment { env[k] = v }
        process.environment = env
        // A working directory of its own, so a default `reports/` never lands in the checkout.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("leadsync-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        process.currentDirectoryURL = directory ?? scratch
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Read both pipes before waiting, so a large output cannot block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}
