import Foundation

/// Hands messages to a sendmail-compatible command (`sendmail -t -oi`, msmtp, …), one process
/// per message with the message on stdin.
public struct MailDelivery {
    let command: String

    /// A delivery through `command` (split on spaces; the first word is the program).
    public init(command: String) { self.command = command }

    /// Sends every file; returns one line per message that failed (file and exit status), so a
    /// failure loses nothing: the report keeps every message.
    public func send(_ files: [URL]) -> [String] {
        let words = command.split(separator: " ").map(String.init)
        guard let program = words.first else { return files.map { "\($0.lastPathComponent): no sendmail command configured" } }
        var failures: [String] = []
        for file in files {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = Array(words.dropFirst())
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            do {
                process.standardInput = try FileHandle(forReadingFrom: file)
                try process.run()
                let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                if process.terminationStatus != 0 {
                    let why = message.split(separator: "\n").first.map(String.init) ?? ""
                    failures.append("\(file.lastPathComponent): \(program) exited with status \(process.terminationStatus)\(why.isEmpty ? "" : ": " + why)")
                }
            } catch {
                failures.append("\(file.lastPathComponent): cannot run \(program): \(error.localizedDescription)")
            }
        }
        return failures
    }
}
