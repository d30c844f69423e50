import Foundation
import Testing
@testable import LeadSync

/// A dead database or a broken configuration: exit 1, one clear line, no password, no data touched.
@Suite struct FailureTests {
    static let canary = "Canary-Pw-7f3e9b"

    @Test func wrongPasswordGivesOneLineWithoutThePassword() throws {
        let base = try #require(TestEngine.postgresURL, "needs the PostgreSQL test server")
        var components = try #require(URLComponents(string: base))
        components.password = Self.canary
        let url = try #require(components.string)
        for args in [["status"], ["migrate"], ["import", "/nonexistent.csv"]] {
            let viaEnv = try CLI.run(args, environment: ["LEADSYNC_DATABASE_URL": url])
            #expect(viaEnv.status == 1)
            #expect(viaEnv.errorLines.count == 1, "\(viaEnv.stderr)")
            #expect(viaEnv.stderr.contains("password authentication failed"), "\(viaEnv.stderr)")
            #expect(!(viaEnv.stdout + viaEnv.stderr).contains(Self.canary))
        }
        // On the command line the job also warns that the password is visible to others.
        let onCommandLine = Process()
        onCommandLine.executableURL = CLI.executable
        onCommandLine.arguments = ["status", "--database", url]
        let err = Pipe()
        onCommandLine.standardError = err
        onCommandLine.standardOutput = FileHandle.nullDevice
        try onCommandLine.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        onCommandLine.waitUntilExit()
        #expect(onCommandLine.terminationStatus == 1)
        #expect(text.contains("visible to other users"))
        #expect(!text.contains(Self.canary))
    }

    @Test func passwordFromPGPASSWORDIsNeverPrinted() throws {
        let base = try #require(TestEngine.postgresURL, "needs the PostgreSQL test server")
        var components = try #require(URLComponents(string: base))
        components.password = nil
        let url = try #require(components.string)
        let r = try CLI.run(["status"], environment: ["LEADSYNC_DATABASE_URL": url, "PGPASSWORD": Self.canary])
        #expect(r.status == 1)
        #expect(r.errorLines.count == 1)
        #expect(!(r.stdout + r.stderr).contains(Self.canary))
    }

    @Test func unreachableServerGivesOneLine() throws {
        let url = "postgresql://leadsync:\(Self.canary)@127.0.0.1:1/leadsync?connect_timeout=3"
        let r = try CLI.run(["status"], environment: ["LEADSYNC_DATABASE_URL": url])
        #expect(r.status == 1)
        #expect(r.errorLines.count == 1, "\(r.stderr)")
        #expect(r.stderr.contains("08001"))
        #expect(r.stderr.contains("127.0.0.1"))
        #expect(!(r.stdout + r.stderr).contains(Self.canary))
    }

    @Test func brokenConfigStopsBeforeTouchingData() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("leadsync-cfg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases: [(String, String)] = [
            ("default_target = \"account\"\n", "key default_target: must be \"lead\" or \"contact\""),
            ("batch_size = 0\n", "key batch_size: must be between 1 and 100000"),
            ("default_region = \"XX\"\n", "key default_region: unknown region"),
            ("fallbak_owner = \"a@b.example\"\n", "key fallbak_owner: unknown key"),
            ("default_target = \n", "line 1"),
            ("[mapping.lead]\nlinkedin_url__c = \"custom_fields\"\n", "unknown source"),
        ]
        for (toml, message) in cases {
            let config = dir.appendingPathComponent("leadsync.toml")
            try Data(toml.utf8).write(to: config)
            let dbFile = dir.appendingPathComponent("never.sqlite")
            let r = try CLI.run(["migrate", "--config", config.path, "--database", "sqlite:\(dbFile.path)"])
            #expect(r.status == 1, "\(toml)")
            #expect(r.errorLines.count == 1, "\(toml): \(r.stderr)")
            #expect(r.stderr.contains(message), "\(toml): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dbFile.path), "the database was touched for \(toml)")
        }
    }

    @Test func wrongUsageExits64() throws {
        #expect(try CLI.run(["no-such-command"]).status == 64)
        #expect(try CLI.run(["status", "--database", "mysql://x"]).status != 0)
    }
}
