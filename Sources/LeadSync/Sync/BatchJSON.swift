/// A batch's rows as one JSON parameter: an array of rows, each an array of its values in the
/// order the statement's header gives. Set-based statements read it with
/// `jsonb_array_elements` (PostgreSQL) or `json_each` (SQLite),
/// so a batch needs no staging table to fill, clear and ANALYZE before each statement, and
/// the statement still takes every row of the batch at once.
enum BatchJSON {
    /// `[[value,…],…]`; integers as numbers, text as strings, NULL as null. (Arrays, not objects:
    /// both engines read an element by position faster than by name, SQLite about 40% faster.)
    /// Built as bytes, one String at the end: appending to a String piece by piece cost about
    /// 15,000 instructions per row of a batch's keys (callgrind).
    static func encode(_ rows: [[SQLValue]]) -> SQLValue {
        var out: [UInt8] = [0x5B]
        out.reserveCapacity(rows.count * 64)
        for r in rows.indices {
            if r > 0 { out.append(0x2C) }
            out.append(0x5B)
            rows[r].withUnsafeBufferPointer { values in
                for i in values.indices {
                    if i > 0 { out.append(0x2C) }
                    switch values[i] {
                    case .null: out.append(contentsOf: "null".utf8)
                    case .integer(let v): out.appendDecimal(v)
                    case .real(let v): out.append(contentsOf: (v.isFinite ? String(v) : "null").utf8)
                    case .text(let v): appendString(v, to: &out)
                    }
                }
            }
            out.append(0x5D)
        }
        out.append(0x5D)
        return .text(String(decoding: out, as: UTF8.self))
    }

    /// `["a","b"]`: a JSON array of strings.
    static func encode(strings: [String]) -> SQLValue {
        var out: [UInt8] = [0x5B]
        for (i, string) in strings.enumerated() {
            if i > 0 { out.append(0x2C) }
            appendString(string, to: &out)
        }
        out.append(0x5D)
        return .text(String(decoding: out, as: UTF8.self))
    }

    /// Appends one batch key as the match queries read it: `[row_id,"kind",key,lastname_key]`,
    /// or with `rid` (a pending record's rowid) `[row_id,"kind",rid,key,lastname_key]`; `kind`
    /// is the byte of `e` or `p`. Separated from the entry before it by a comma.
    static func appendKey(_ id: Int64, _ kind: UInt8, rid: Int64? = nil, _ key: String, _ last: String, to out: inout [UInt8]) {
        if out.count > 1 { out.append(0x2C) }
        out.append(0x5B)
        out.appendDecimal(id)
        out.append(0x2C); out.append(0x22); out.append(kind); out.append(0x22); out.append(0x2C)
        if let rid {
            out.appendDecimal(rid)
            out.append(0x2C)
        }
        appendString(key, to: &out)
        out.append(0x2C)
        appendString(last, to: &out)
        out.append(0x5D)
    }

    /// Appends `s` as a JSON string literal: `"`, `\` and control characters escaped, every
    /// other byte as it is (UTF-8 passes through whole).
    static func appendString(_ s: String, to out: inout [UInt8]) {
        func append(_ bytes: UnsafeBufferPointer<UInt8>) {
            out.append(0x22)
            if !bytes.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
                out.append(contentsOf: bytes)
            } else {
                for byte in bytes {
                    switch byte {
                    case 0x22, 0x5C: out.append(0x5C); out.append(byte)
                    case 0x0A: out.append(0x5C); out.append(0x6E)
                    case 0x0D: out.append(0x5C); out.append(0x72)
                    case 0x09: out.append(0x5C); out.append(0x74)
                    case ..<0x20:
                        out.append(contentsOf: "\\u00".utf8)
                        out.append(hexDigits[Int(byte >> 4)])
                        out.append(hexDigits[Int(byte & 0x0F)])
                    default: out.append(byte)
                    }
                }
            }
            out.append(0x22)
        }
        s.utf8.withByteBuffer(append)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
