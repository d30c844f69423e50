import Foundation
import Testing
@testable import LeadSync

/// `leadsync import` on both engines: RFC 4180 files, all or nothing, idempotent re-import.
@Suite struct ImportTests {
    static let header = "external_id,source,captured_at,captured_by,target_object,first_name,last_name,company,email,phone,notes,custom_fields"

    func write(_ text: String, to dir: URL, name: String = "in.csv") throws -> String {
        let url = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func csvField(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    @Test(arguments: TestEngine.available)
    func awkwardValuesRoundTripExactly(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            _ = try t.migrated()
            let longNotes = String(repeating: "Notiz ✓ ", count: 1250)  // 10,000 characters
            let awkward: [(String, String, String)] = [
                ("a-1", "O'Brien \"Bob\", Jr.", "line one\nline two\r\nline three"),
                ("a-2", "Müller 😀👍🏽", "emoji 🚀 and ZWJ 👩‍👩‍👧"),
                ("a-3", "שלום עליכם", "مرحبا بالعالم — right to left"),
                ("a-4", "Ｆｕｌｌｗｉｄｔｈ e\u{301}", longNotes),
                ("a-5", "Robert'); DROP TABLE captured_contact;--", "\\N tab\there"),
            ]
            var csv = "\u{FEFF}" + Self.header + "\r\n"
            for (id, last, notes) in awkward {
                csv += [id, "webform", "2026-11-17T12:00:07+01:00", "rep@vertrieb.example", "lead", "Ann", csvField(last), csvField("ACME, Inc."),
                        "ann@example.com", "+49 30 1234567", csvField(notes), csvField("{\"linkedin_url\": \"https://x.example/ann\"}")]
                    .joined(separator: ",") + "\r\n"
            }
            let path = try write(csv, to: t.directory)
            let r = try CLI.run(["import", path, "--database", t.url])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("5 new, 0 updated, 0 left alone"))
            for (id, last, notes) in awkward {
                let row = try #require(try t.rawRows("SELECT last_name, notes, company, custom_fields, captured_at, status FROM captured_contact WHERE external_id = '\(id)'").first)
                #expect(row.string("last_name") == last)
                #expect(row.string("notes") == notes)
                #expect(row.string("company") == "ACME, Inc.")
                #expect(row.string("custom_fields") == "{\"linkedin_url\": \"https://x.example/ann\"}")
                #expect(row.string("status") == "pending")
                #expect(row.string("captured_at")?.contains("11:00:07") == true, "captured_at is stored in UTC")
            }
            #expect(try t.scalar("SELECT length(notes) FROM captured_contact WHERE external_id = 'a-4'") == "10000")
        }
    }

    @Test(arguments: TestEngine.available)
    func reimportUpdatesPendingRowsAndLeavesProcessedOnesAlone(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            _ = try t.migrated()
            let first = Self.header + "\nr-1,webform,,,,Ann,Lee,ACME,ann@example.com,,first,\nr-2,webform,,,,Bob,Ray,ACME,bob@example.com,,first,\nr-3,webform,,,,Cy,Day,ACME,cy@example.com,,first,\n"
            let path = try write(first, to: t.directory)
            #expect(try CLI.run(["import", path, "--database", t.url]).stdout.contains("3 new, 0 updated, 0 left alone"))
            let again = try CLI.run(["import", path, "--database", t.url])
            #expect(again.stdout.contains("0 new, 0 updated, 3 left alone"), "\(again.stdout)")
            #expect(try t.scalar("SELECT count(*) FROM captured_contact") == "3")

            try t.exec("UPDATE captured_contact SET status = 'exported' WHERE external_id = 'r-2'")
            let changed = Self.header + "\nr-1,webform,,,,Ann,Lee,ACME,ann@example.com,,second,\nr-2,webform,,,,Bob,Ray,ACME,bob@example.com,,second,\nr-4,webform,,,,Di,Fox,ACME,di@example.com,,second,\n"
            let path2 = try write(changed, to: t.directory, name: "changed.csv")
            let r = try CLI.run(["import", path2, "--database", t.url])
            #expect(r.stdout.contains("1 new, 1 updated, 1 left alone"), "\(r.stdout)")
            #expect(try t.scalar("SELECT notes FROM captured_contact WHERE external_id = 'r-1'") == "second")
            #expect(try t.scalar("SELECT notes FROM captured_contact WHERE external_id = 'r-2'") == "first")
            #expect(try t.scalar("SELECT count(*) FROM captured_contact") == "4")

            // A file without a column keeps what is stored in it.
            let narrow = "external_id,notes\nr-1,third\n"
            #expect(try CLI.run(["import", try write(narrow, to: t.directory, name: "narrow.csv"), "--database", t.url]).status == 0)
            #expect(try t.scalar("SELECT email FROM captured_contact WHERE external_id = 'r-1'") == "ann@example.com")
            #expect(try t.scalar("SELECT notes FROM captured_contact WHERE external_id = 'r-1'") == "third")
        }
    }

    /// A re-import that changes 40,000 pending rows: one UPDATE in the import's transaction,
    /// whose statement journal on SQLite (a copy of every page it changes, to undo it alone)
    /// outgrows memory and spills to a temporary file. With the journal kept in memory up to
    /// 4 MiB (until 2026-12-01, CSQLite/shim.h), SQLite 3.40.1 failed that spill with
    /// "database or disk is full" and imported nothing.
    @Test(arguments: TestEngine.available)
    func aLargeReimportInOneTransactionWorks(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            _ = try t.migrated()
            let count = 40_000
            func file(_ company: String) -> String {
                var csv = "external_id,source,last_name,company,email\n"
                for i in 0..<count { csv += "big-\(i),fair,Muster\(i),\(company),anna\(i)@example.com\n" }
                return csv
            }
            let first = try CLI.run(["import", try write(file("ACME GmbH"), to: t.directory), "--database", t.url])
            #expect(first.stdout.contains("\(count) new, 0 updated, 0 left alone"), "\(first.stderr)")
            let again = try CLI.run(["import", try write(file("ACME AG"), to: t.directory, name: "changed.csv"), "--database", t.url])
            #expect(again.status == 0, "\(again.stderr)")
            #expect(again.stdout.contains("0 new, \(count) updated, 0 left alone"), "\(again.stdout)")
            #expect(try t.scalar("SELECT count(*) FROM captured_contact WHERE company = 'ACME AG'") == String(count))
        }
    }

    /// Each bad file: exit 1, one line naming the line and the problem, nothing imported.
    static let badFiles: [(name: String, bytes: [UInt8], line: Int, problem: String)] = [
        ("unknown header", Array("external_id,nickname\nx-1,Bo\n".utf8), 1, "unknown column \"nickname\""),
        ("no external_id column", Array("first_name,last_name\nAnn,Lee\n".utf8), 1, "no external_id column"),
        ("missing external_id", Array("external_id,last_name\nx-1,Lee\n,Ray\n".utf8), 3, "missing external_id"),
        ("invalid UTF-8", Array("external_id,last_name\nx-1,Lee\nx-2,M".utf8) + [0xC3, 0x28] + Array("ller\n".utf8), 3, "not valid UTF-8"),
        ("NUL byte", Array("external_id,last_name\nx-1,Lee\nx-2,Ra".utf8) + [0x00] + Array("y\n".utf8), 3, "NUL byte"),
        ("too many columns", Array("external_id,last_name\nx-1,Lee\nx-2,Ray,extra\n".utf8), 3, "has 3 fields, the header has 2"),
        ("too few columns after a multi-line field", Array("external_id,notes,last_name\nx-1,\"two\nlines\",Lee\nx-2,Ray\n".utf8), 4, "has 2 fields"),
        ("bad timestamp", Array("external_id,captured_at\nx-1,yesterday\n".utf8), 2, "not an ISO-8601 timestamp"),
        ("bad custom_fields", Array("external_id,custom_fields\nx-1,[1]\n".utf8), 2, "custom_fields is not a JSON object"),
        ("a quoted field that never closes", Array("external_id,notes\nx0,ok\nx1,\"unterminated".utf8), 3, "unterminated quoted field"),
        ("a quoted field open to the end, over lines", Array("external_id,notes\nx1,\"one\ntwo\n".utf8), 2, "unterminated quoted field"),
    ]

    @Test(arguments: TestEngine.available)
    func badFilesImportNothingAndNameTheLine(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            _ = try t.migrated()
            for bad in Self.badFiles {
                let url = t.directory.appendingPathComponent("bad.csv")
                try Data(bad.bytes).write(to: url)
                let r = try CLI.run(["import", url.path, "--database", t.url])
                #expect(r.status == 1, "\(bad.name)")
                #expect(r.errorLines.count == 1, "\(bad.name): \(r.stderr)")
                #expect(r.stderr.contains("line \(bad.line):"), "\(bad.name): \(r.stderr)")
                #expect(r.stderr.contains(bad.problem), "\(bad.name): \(r.stderr)")
                #expect(r.stderr.contains("nothing was imported"), "\(bad.name)")
                #expect(try t.scalar("SELECT count(*) FROM captured_contact") == "0", "\(bad.name)")
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func repeatedExternalIdInOneFileKeepsTheLastLine(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            _ = try t.migrated()
            let path = try write("external_id,last_name\nx-1,First\nx-2,Other\nx-1,Last\n", to: t.directory)
            let r = try CLI.run(["import", path, "--database", t.url])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("2 new"))
            #expect(try t.scalar("SELECT last_name FROM captured_contact WHERE external_id = 'x-1'") == "Last")
        }
    }

    /// A file that is not there, or not readable, fails with the system's reason.
    @Test func aMissingFileSaysWhy() throws {
        try withTestDatabase(.sqlite) { t in
            _ = try t.migrated()
            let missing = t.directory.appendingPathComponent("no-such-file.csv").path
            let r = try CLI.run(["import", missing, "--database", t.url])
            #expect(r.status == 1)
            #expect(r.errorLines == ["leadsync: cannot read \(missing): No such file or directory"], "\(r.stderr)")
            let directory = try CLI.run(["import", t.directory.path, "--database", t.url])
            #expect(directory.status == 1)
            #expect(directory.stderr.contains("Is a directory"), "\(directory.stderr)")
        }
    }

    /// The quote check agrees with RFC 4180 on what closes: doubled quotes inside a field, and
    /// a quote inside an unquoted field, are no opening.
    @Test func onlyAnOpenQuotedFieldIsUnterminated() {
        func line(_ text: String) -> Int? { InputFile.unterminatedQuote(in: Array(text.utf8)) }
        #expect(line("a,b\n\"x\"\"y\",z\n") == nil)
        #expect(line("a,b\nab\"c,d\n") == nil)
        #expect(line("a,\"multi\nline\"\r\nb,\"c") == 3)
        #expect(line("\"") == 1)
        #expect(line("a,\"\"\"\n") == 1, "an escaped quote, then no closing one")
        #expect(line("") == nil)
    }

    @Test func theCorpusImports() throws {
        try withTestDatabase(.sqlite) { t in
            _ = try t.migrated()
            let r = try CLI.run(["import", Fixtures.url("corpus/captured.csv").path, "--database", t.url])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("1998 new"))
        }
    }
}
