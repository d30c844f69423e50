import Foundation

/// An RFC 5322 message with text and HTML alternatives; headers with non-ASCII text are
/// encoded as RFC 2047 words, bodies as base64 UTF-8.
public struct MailMessage: Sendable {
    /// The sender's address.
    public var from: String
    /// Recipients: (display name, address).
    public var to: [(name: String, address: String)]
    /// The subject, any Unicode.
    public var subject: String
    /// The plain-text body.
    public var text: String
    /// The HTML body.
    public var html: String
    /// Date header.
    public var date: Date
    /// A unique id for the Message-ID header.
    public var id: String

    /// The message as it goes to sendmail (CRLF line ends).
    public func rendered() -> String {
        let boundary = "leadsync-\(id.replacingOccurrences(of: "@", with: "-"))"
        let recipients = to.map { Self.address(name: $0.name, address: $0.address) }.joined(separator: ", ")
        var lines = [
            "From: \(Self.address(name: "leadsync", address: from))",
            "To: \(recipients)",
            "Subject: \(Self.encodedWord(subject))",
            "Date: \(Self.rfc5322Date(date))",
            "Message-ID: <\(id)>",
            "MIME-Version: 1.0",
            "Content-Type: multipart/alternative; boundary=\"\(boundary)\"",
            "",
            "--\(boundary)",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: base64",
            "",
        ]
        lines += Self.base64Lines(text)
        lines += ["--\(boundary)", "Content-Type: text/html; charset=UTF-8", "Content-Transfer-Encoding: base64", ""]
        lines += Self.base64Lines(html)
        lines += ["--\(boundary)--", ""]
        return lines.joined(separator: "\r\n")
    }

    /// `=?UTF-8?B?…?=` words for non-ASCII text (each word under 75 characters), else the text.
    static func encodedWord(_ text: String) -> String {
        let clean = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        guard clean.unicodeScalars.contains(where: { !$0.isASCII || $0.value < 0x20 }) else { return clean }
        var words: [String] = []
        var chunk = ""
        for ch in clean {
            if (chunk + String(ch)).utf8.count > 45 {
                words.append("=?UTF-8?B?\(Data(chunk.utf8).base64EncodedString())?=")
                chunk = ""
            }
            chunk.append(ch)
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(Data(chunk.utf8).base64EncodedString())?=") }
        return words.joined(separator: "\r\n ")
    }

    /// `"Name" <address>`, the name encoded when it needs it. The address is written as given,
    /// never changed: callers mail only valid addresses (`MatchKeys.isValidEmail`), since one
    /// changed to fit would be someone else's.
    static func address(name: String, address: String) -> String {
        guard !name.isEmpty else { return "<\(address)>" }
        let isPlain = name.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 0x20 && !"\"\\<>,;:@()[]".unicodeScalars.contains($0) }
        return (isPlain ? "\"\(name)\"" : encodedWord(name)) + " <\(address)>"
    }

    static func base64Lines(_ body: String) -> [String] {
        let encoded = Array(Data(body.utf8).base64EncodedString().utf8)
        return stride(from: 0, to: encoded.count, by: 76).map { start in
            String(decoding: encoded[start..<min(start + 76, encoded.count)], as: UTF8.self)
        }
    }

    static func rfc5322Date(_ date: Date) -> String {
        // Built by hand: a DateFormatter per message cost more than the rest of the message.
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var t = tm()
        gmtime_r(&seconds, &t)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return String(format: "%@, %02d %@ %04d %02d:%02d:%02d +0000", days[Int(t.tm_wday)], t.tm_mday, months[Int(t.tm_mon)],
                      t.tm_year + 1900, t.tm_hour, t.tm_min, t.tm_sec)
    }
}
