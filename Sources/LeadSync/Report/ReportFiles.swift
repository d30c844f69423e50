import Foundation

/// Small writers shared by the report files.
enum ReportFiles {
    /// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) gets a leading
    /// apostrophe, so opening failed.csv never executes anything.
    static func neutralize(_ cell: String) -> String {
        guard let first = cell.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) else { return cell }
        return "'" + cell
    }

    /// One RFC 4180 line: every field quoted when it needs it, CRLF at the end.
    static func csvLine(_ fields: [String]) -> String {
        var line: [UInt8] = []
        line.reserveCapacity(fields.reduce(2) { $0 + $1.utf8.count + 1 })
        for (i, field) in fields.enumerated() {
            if i > 0 { line.append(0x2C) }
            appendCSVCell(field, to: &line)
        }
        line.append(0x0D)
        line.append(0x0A)
        return String(decoding: line, as: UTF8.self)
    }

    /// Appends one field of a CSV line, as bytes: neutralised, and quoted when it needs it.
    static func appendCSVCell(_ field: String, to line: inout [UInt8]) {
        field.utf8.withByteBuffer { appendCSVCell(bytes: $0, to: &line) }
    }

    private static func appendCSVCell(bytes: UnsafeBufferPointer<UInt8>, to line: inout [UInt8]) {
        guard let first = bytes.first else { return }
        // A formula's first character (see `neutralize`) or a character that needs quoting.
        let formula = first == 0x3D || first == 0x2B || first == 0x2D || first == 0x40 || first == 0x09 || first == 0x0D
        let needsQuotes = bytes.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
        if needsQuotes { line.append(0x22) }
        if formula { line.append(0x27) }
        if needsQuotes {
            for byte in bytes {
                line.append(byte)
                if byte == 0x22 { line.append(0x22) }
            }
            line.append(0x22)
        } else {
            line.append(contentsOf: bytes)
        }
    }

    /// Writes a whole file without syncing it: a report folder is synced once, before the
    /// rename that publishes it (`syncFileSystem`), not once per file.
    static func write(_ text: String, to url: URL) throws {
        let fd = try create(url)
        defer { close(fd) }
        try writeAll(text, to: fd, path: url.path)
    }

    /// Creates (or empties) a report file for writing.
    static func create(_ url: URL) throws -> Int32 {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw UsageError("cannot create report file \(url.path): \(String(cString: strerror(errno)))") }
        return fd
    }

    /// Writes all of `text` to `fd`; a failure (disk full, …) names the file and the system's
    /// reason in one line.
    static func writeAll(_ text: String, to fd: Int32, path: String) throws {
        var text = text
        try text.withUTF8 { try writeAll($0, to: fd, path: path) }
    }

    /// Writes `bytes` whole (see `writeAll(_:to:path:)`).
    static func writeAll(_ bytes: UnsafeBufferPointer<UInt8>, to fd: Int32, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let n = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw UsageError("cannot write report file \(path): \(String(cString: strerror(errno)))")
            }
            offset += n
        }
    }

    /// Flushes the file system holding `url` to disk (one call for a folder of files).
    static func syncFileSystem(_ url: URL) {
        let fd = open(url.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = leadsync_syncfs(fd)
        close(fd)
    }

    /// Escapes text for HTML element content and attribute values.
    static func html(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters (ANSI escapes among them) never reach a page or a mail.
                if c.value < 0x20 && c != "\n" && c != "\t" { out += "\u{FFFD}" } else { out.unicodeScalars.append(c) }
            }
        }
        return out
    }

    /// Text without control characters, for plain-text mails and summaries.
    static func plain(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { $0.value < 0x20 && $0 != "\n" ? "\u{FFFD}" : $0 }))
    }
}

/// A file written in pieces, so large CSVs stream to disk.
final class TextFile {
    private let path: String
    private var fd: Int32
    private var buffer: [UInt8] = []

    init(_ url: URL) throws {
        path = url.path
        fd = try ReportFiles.create(url)
    }

    deinit {
        if fd >= 0 { Foundation.close(fd) }
    }

    func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count > 1 << 16 { try flush() }
    }

    /// Writes what `build` appends, straight into the file's buffer (no String in between).
    func write(_ build: (inout [UInt8]) -> Void) throws {
        build(&buffer)
        if buffer.count > 1 << 16 { try flush() }
    }

    func flush() throws {
        try buffer.withUnsafeBufferPointer { try ReportFiles.writeAll($0, to: fd, path: path) }
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        try flush()
        let closed = Foundation.close(fd)
        fd = -1
        if closed != 0 { throw UsageError("cannot write report file \(path): \(String(cString: strerror(errno)))") }
    }
}

/// glibc's `syncfs(2)`, which Glibc's module map hides behind `_GNU_SOURCE`.
@_silgen_name("syncfs")
private func leadsync_syncfs(_ fd: Int32) -> Int32
