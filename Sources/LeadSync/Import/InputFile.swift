import Foundation

/// A file the user named on the command line (an import, a CRM export, a configuration).
enum InputFile {
    /// The file's bytes; a file that cannot be read fails with the system's reason, e.g.
    /// `cannot read leads.csv: No such file or directory`.
    static func read(_ path: String) throws -> Data {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure(path, errno) }
        defer { close(fd) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if n == 0 { return data }
            guard n > 0 else {
                if errno == EINTR { continue }
                throw failure(path, errno)
            }
            data.append(contentsOf: buffer[..<n])
        }
    }

    private static func failure(_ path: String, _ code: Int32) -> InputFileError {
        InputFileError(path: path, reason: String(cString: strerror(code)))
    }

    /// The line (1-based) where a quoted field starts that never closes (RFC 4180: `"…"`), if
    /// any: a reader that reached the end of the file inside it would take the rest of the file
    /// as that field, so such a file is refused instead.
    static func unterminatedQuote(in bytes: [UInt8]) -> Int? {
        var line = 1, start = 0
        var quoted = false, fieldStart = true
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if quoted {
                if b == 0x22 {
                    if i + 1 < bytes.count && bytes[i + 1] == 0x22 { i += 1 } else { quoted = false }
                } else if b == 0x0A {
                    line += 1
                }
            } else if b == 0x22 && fieldStart {
                quoted = true
                start = line
            } else if b == 0x0A {
                line += 1
            }
            fieldStart = !quoted && (b == 0x2C || b == 0x0A || b == 0x0D)
            i += 1
        }
        return quoted ? start : nil
    }
}

/// A file that could not be read, with the system's reason.
public struct InputFileError: Error, CustomStringConvertible, Sendable {
    /// The path as given.
    public let path: String
    /// `No such file or directory`, `Permission denied`, …
    public let reason: String
    /// `cannot read leads.csv: No such file or directory`.
    public var description: String { "cannot read \(path): \(reason)" }
}
