import Foundation
import Testing
@testable import LeadSync

/// `--send-mail` for real: msmtp delivers over SMTP to a local aiosmtpd server started here.
@Suite(.serialized) struct MailDeliveryTests {
    /// A local SMTP server writing every message it receives into a Maildir.
    final class SMTPServer {
        let process: Process
        let port: Int
        let maildir: URL

        /// Starts the server on a port the system reports free. A busy machine can take seconds to
        /// start Python, so it waits up to 30 s; a server that exits (its port taken in between)
        /// is started again on another port, up to three times.
        init(directory: URL) throws {
            maildir = directory.appendingPathComponent("maildir")
            var started: (Process, Int)?
            for _ in 0..<3 where started == nil {
                let port = try Self.freePort()
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                process.arguments = ["python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:\(port)", "-c", "aiosmtpd.handlers.Mailbox", maildir.path]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                let deadline = Date().addingTimeInterval(30)
                while process.isRunning && Date() < deadline && started == nil {
                    if Self.canConnect(port) { started = (process, port) } else { usleep(100_000) }
                }
                if started == nil {
                    kill(process.processIdentifier, SIGKILL)
                    process.waitUntilExit()
                }
            }
            guard let (process, port) = started else {
                throw UsageError("the SMTP test server did not start (is aiosmtpd installed? make test installs it)")
            }
            self.process = process
            self.port = port
        }

        /// A TCP port on 127.0.0.1 that nothing listens on now: the one the system gives a socket
        /// bound to port 0.
        static func freePort() throws -> Int {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = 0
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &addr) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
            }
            guard bound else { throw UsageError("no free port for the SMTP test server: \(String(cString: strerror(errno)))") }
            return Int(UInt16(bigEndian: addr.sin_port))
        }

        deinit {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }

        static func canConnect(_ port: Int) -> Bool {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = in_port_t(UInt16(port).bigEndian)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            return withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } } == 0
        }

        /// Every delivered message's text.
        func messages() throws -> [String] {
            let new = maildir.appendingPathComponent("new")
            let files = (try? FileManager.default.contentsOfDirectory(at: new, includingPropertiesForKeys: nil)) ?? []
            return try files.map { try String(contentsOf: $0, encoding: .utf8) }
        }
    }

    static func msmtp(_ port: Int) -> String {
        "/usr/bin/msmtp --host=127.0.0.1 --port=\(port) --auth=off --tls=off --from=leadsync@vertrieb.example -t"
    }

    @Test func mailsAreDeliveredThroughMsmtp() throws {
        try withTestDatabase(.sqlite) { t in
            let server = try SMTPServer(directory: t.directory)
            var s = Scenario(t)
            s.config += "report_to = [\"boss@example.com\"]\nmail_from = \"leadsync@vertrieb.example\"\nsendmail_command = \"\(Self.msmtp(server.port))\"\n"
            s.capture("a", last: "Alpha", email: "a@x.example", by: "rep@example.com")
            s.capture("b", last: "Beta", company: "", email: "b@x.example", by: "rep@example.com")
            s.capture("c", last: "Gamma", email: "c@x.example", by: "other@example.com")
            _ = try s.load()
            let config = t.directory.appendingPathComponent("c.toml")
            try Data(s.config.utf8).write(to: config)
            let r = try CLI.run(["run", "--send-mail", "--report-dir", t.directory.appendingPathComponent("reports").path, "--database", t.url, "--config", config.path])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("mails sent: 3"))
            var messages: [String] = []
            for _ in 0..<50 where messages.count < 3 {
                messages = try server.messages()
                usleep(100_000)
            }
            #expect(messages.count == 3)
            let toRep = try #require(messages.first { $0.contains("<rep@example.com>") })
            #expect(toRep.contains("Subject: 1 contacts exported to Salesforce, 1 failed"))
            #expect(ReportTests.textPart(toRep).contains("A Lead needs a company"))
            #expect(messages.contains { $0.contains("<other@example.com>") && $0.contains("Subject: 1 contacts exported to Salesforce, 0 failed") })
            #expect(messages.contains { $0.contains("boss@example.com") && $0.contains("Subject: leadsync run #1: 2 exported, 1 failed") })
        }
    }

    @Test func aDeliveryFailureKeepsTheReportAndSaysSo() throws {
        try withTestDatabase(.sqlite) { t in
            var s = Scenario(t)
            s.config += "report_to = [\"boss@example.com\"]\nsendmail_command = \"\(Self.msmtp(1))\"\n"
            s.capture("a", last: "Alpha", email: "a@x.example")
            let (db, _) = try s.load()
            let config = t.directory.appendingPathComponent("c.toml")
            try Data(s.config.utf8).write(to: config)
            let reports = t.directory.appendingPathComponent("reports")
            let r = try CLI.run(["run", "--send-mail", "--report-dir", reports.path, "--database", t.url, "--config", config.path])
            #expect(r.status == 75)
            #expect(r.stderr.contains("mail delivery failed for 2 of 2 messages"))
            let folder = try ReportTests.folder(in: reports)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("mail").path).count == 2)
            #expect(try Scenario.outcomes(db)["a"]?.status == "exported")
            #expect(try db.runAdHoc("SELECT error FROM sync_run", name: "t").first?.string("error")?.contains("mail delivery failed") == true)
        }
    }

    @Test func failureRateAboveTheLimitAlerts() throws {
        try withTestDatabase(.sqlite) { t in
            var s = Scenario(t)
            s.config += "report_to = [\"boss@example.com\"]\n"
            s.capture("a", last: "Alpha", email: "a@x.example")
            s.capture("b", last: "Beta", company: "", email: "b@x.example")
            _ = try s.load()
            let config = t.directory.appendingPathComponent("c.toml")
            try Data(s.config.utf8).write(to: config)
            let reports = t.directory.appendingPathComponent("reports")
            let r = try CLI.run(["run", "--max-failure-rate", "20", "--report-dir", reports.path, "--database", t.url, "--config", config.path])
            #expect(r.status == 65)
            #expect(r.stderr.contains("failure rate 50.0% above the limit of 20.0%"))
            let admin = try String(contentsOf: try ReportTests.folder(in: reports).appendingPathComponent("mail/admin.eml"), encoding: .utf8)
            #expect(admin.contains("Subject: ALERT: leadsync run #1"))
        }
    }
}
