import CSV
import Foundation
import Testing
@testable import LeadSync

/// summary.html in a real headless Chromium (Debian's package; make test installs it): the page
/// loads, its DOM has the bar chart and one table row per failure, and a screenshot is taken.
@Suite struct ReportRenderingTests {
    @Test func summaryHTMLRendersInChromium() throws {
        let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let browser = try #require(chromium, "Chromium is not installed (make test installs Debian's chromium)")
        try withTestDatabase(.sqlite) { t in
            var s = Scenario(t)
            s.capture("a", last: "Alpha", email: "a@x.example")
            s.capture("b", last: "<script>alert(1)</script>", company: "", email: "b@x.example")
            s.capture("c", last: "Gamma", email: "bad")
            let (db, config) = try s.load()
            var options = Scenario.options()
            options.report = ReportOptions(directory: t.directory.appendingPathComponent("reports").path)
            let summary = try SyncJob(db: db, config: config).run(options)
            let folder = try #require(summary.report?.folder)
            func chromium(_ args: [String]) throws -> String { try Self.chromium(browser, args, t) }
            let page = "file://" + folder.appendingPathComponent("summary.html").path
            let dom = try chromium(["--dump-dom", page])
            #expect(dom.contains("<h1>leadsync run #1</h1>"))
            #expect(dom.components(separatedBy: "<tr><td>").count - 1 == 2, "one row per failure")
            #expect(dom.components(separatedBy: "class=\"bar\"").count - 1 == 3, "exported and two failure codes")
            #expect(!dom.contains("<script>alert"), "names are escaped, never run")
            let png = t.directory.appendingPathComponent("summary.png")
            _ = try chromium(["--screenshot=\(png.path)", "--window-size=1000,800", page])
            let size = (try? FileManager.default.attributesOfItem(atPath: png.path)[.size] as? Int) ?? 0
            #expect(size > 10_000, "the screenshot has content")
        }
    }

    /// Headless Chromium's standard output for `args`.
    static func chromium(_ browser: String, _ args: [String], _ t: TestDatabase) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: browser)
        p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(t.directory.appendingPathComponent("chromium").path)"] + args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// The calls part of summary.html (CALL_RULES.md §10) in the same browser: counts, reasons,
    /// per agent, escaped.
    @Test func summaryHTMLShowsTheCallsPartInChromium() throws {
        let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let browser = try #require(chromium, "Chromium is not installed (make test installs Debian's chromium)")
        try withTestDatabase(.sqlite) { t in
            var s = CallScenario(t)
            s.contact("003000000000000001", phone: "+49 30 1234567")
            s.call("logged")
            s.call("unknown", agent: "<b>x</b>", number: "+49 30 7777777")
            s.call("invalid", "sideways")
            let (db, config) = try s.load()
            var options = SyncOptions(mode: .run)
            options.clock = { CallScenario.now }
            options.settleMinutes = 0
            options.report = ReportOptions(directory: t.directory.appendingPathComponent("reports").path)
            let summary = try SyncJob(db: db, config: config).run(options)
            let folder = try #require(summary.report?.folder)
            let dom = try Self.chromium(browser, ["--dump-dom", "file://" + folder.appendingPathComponent("summary.html").path], t)
            #expect(dom.contains("<h2>Call events</h2>"))
            #expect(dom.contains("<strong>1 logged</strong> (1 tasks)"))
            #expect(dom.contains("a number no record has (unknown_number)"))
            #expect(dom.contains("not a valid call event (invalid_call)"))
            #expect(dom.contains("&lt;b&gt;x&lt;/b&gt;"), "an agent is escaped")
            #expect(!dom.contains("<b>x</b>"))
        }
    }
}
