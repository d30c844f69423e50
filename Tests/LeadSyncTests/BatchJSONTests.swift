import Foundation
import Testing
@testable import LeadSync

/// A batch reaches the match and the write-back as one JSON parameter (BatchJSON): every value a
/// captured row can hold must come back out of the engine's JSON reader unchanged.
@Suite struct BatchJSONTests {
    /// Text a captured row can hold (import rejects NUL and invalid UTF-8, so those never get here).
    static let texts = [
        "plain", "", " padded ", "quote \" inside", "back\\slash", "C:\\path\\\"x\"", "line\nbreak\r\nwindows", "tab\there",
        "\u{1}\u{1F}control", "\u{7F}del", "Müller", "e\u{301}", "👩‍👩‍👧 family", "\u{200B}zero-width\u{FEFF}", "{\"json\": [1, 2]}",
        "'; DROP TABLE lead; --", "=HYPERLINK(\"x\")", "\u{2028}\u{2029}separators", String(repeating: "long ", count: 2000),
    ]

    /// SQLite's match takes a batch's keys as two such parameters, written straight as bytes
    /// (`keyParameters`): each must be what `encode` makes of the same rows, and leave out rows
    /// that failed validation.
    @Test func keyParametersAreTheKeysAsEncoded() {
        let rows = Self.texts.enumerated().map { i, text in
            PreparedRow(row: ClaimedRow(Row(columns: ["id", "external_id"], values: [.integer(Int64(i) + 1), .text("r\(i)")])),
                        target: .lead, emailKey: i % 3 == 0 ? nil : text, phoneKeys: i % 2 == 0 ? [text, "+4930\(i)"] : [],
                        lastNameKey: text, failure: i == 4 ? RowFailure(code: "invalid_email", message: "x") : nil,
                        values: [], ownerColumns: [])
        }
        var emails: [[SQLValue]] = [], phones: [[SQLValue]] = []
        for row in rows where row.failure == nil {
            if let email = row.emailKey { emails.append([.integer(row.row.id), "e", .text(email), .text(row.lastNameKey)]) }
            for phone in row.phoneKeys { phones.append([.integer(row.row.id), "p", .text(phone), .text(row.lastNameKey)]) }
        }
        let params = SQLiteKeyLookup.keyParameters(rows)
        #expect(params["email_keys"] == BatchJSON.encode(emails))
        #expect(params["phone_keys"] == BatchJSON.encode(phones))
        #expect(SQLiteKeyLookup.keyParameters([]) == ["email_keys": "[]", "phone_keys": "[]"])
    }

    @Test(arguments: TestEngine.available)
    func everyValueComesBackUnchanged(engine: TestEngine) throws {
        try withTestDatabase(engine) { t in
            let db = try t.open()
            let rows: [[SQLValue]] = Self.texts.enumerated().map { i, text in [.integer(Int64(i) - 3), .text(text), .null] }
                + [[.integer(Int64.max), .text("max"), .integer(Int64.min)]]
            // The readers the shipped queries use: jsonb_array_elements + ->> on PostgreSQL,
            // json_each + json_extract on SQLite.
            let sql = engine == .postgres
                ? "SELECT CAST(v ->> 0 AS bigint) AS n, v ->> 1 AS text, CAST(v ->> 2 AS bigint) AS other FROM jsonb_array_elements(CAST(:rows AS jsonb)) WITH ORDINALITY AS e(v, i) ORDER BY i"
                : "SELECT json_extract(value, '$[0]') AS n, json_extract(value, '$[1]') AS text, json_extract(value, '$[2]') AS other FROM json_each(:rows) ORDER BY key"
            let back = try db.runAdHoc(sql, name: "json_round_trip", ["rows": BatchJSON.encode(rows)])
            #expect(back.count == rows.count)
            for (sent, got) in zip(rows, back) {
                #expect(got["n"].intValue == sent[0].intValue)
                #expect(got.string("text") == sent[1].textValue, "\(sent[1].textValue?.debugDescription.prefix(40) ?? "")")
                #expect(got["other"].intValue == sent[2].intValue)
            }
        }
    }
}
