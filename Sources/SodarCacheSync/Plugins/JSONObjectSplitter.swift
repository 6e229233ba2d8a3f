import Foundation

/// Splits a validated JSON object into its members as raw bytes, keeping key order and every
/// value exactly as written (no Foundation dictionaries: payloads stay bytes).
enum JSONObjectSplitter {
    enum Failure: Error, CustomStringConvertible {
        case notAnObject
        case duplicateKey(String)

        var description: String {
            switch self {
            case .notAnObject: return "expected a JSON object of {\"item name\": payload, ...}"
            case .duplicateKey(let key): return "item \"\(key)\" appears twice"
            }
        }
    }

    /// The members of the object in `data`, which must already be valid JSON.
    static func split(_ data: Data) throws -> [(key: String, value: Data)] {
        let bytes = [UInt8](data)
        var i = skipSpace(bytes, 0)
        guard i < bytes.count, bytes[i] == UInt8(ascii: "{") else { throw Failure.notAnObject }
        i += 1
        var members: [(key: String, value: Data)] = []
        var seen = Set<String>()
        i = skipSpace(bytes, i)
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") { return [] }
        while i < bytes.count {
            i = skipSpace(bytes, i)
            let (key, afterKey) = decodeString(bytes, i)
            i = skipSpace(bytes, afterKey)
            i += 1  // ':'
            i = skipSpace(bytes, i)
            let start = i
            i = skipValue(bytes, i)
            var end = i
            while end > start, isSpace(bytes[end - 1]) { end -= 1 }
            guard seen.insert(key).inserted else { throw Failure.duplicateKey(key) }
            members.append((key, Data(bytes[start..<end])))
            i = skipSpace(bytes, i)
            guard i < bytes.count else { break }
            if bytes[i] == UInt8(ascii: "}") { break }
            i += 1  // ','
        }
        return members
    }

    static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D
    }

    private static func skipSpace(_ bytes: [UInt8], _ start: Int) -> Int {
        var i = start
        while i < bytes.count, isSpace(bytes[i]) { i += 1 }
        return i
    }

    /// The index just past the value starting at `start` (at depth 0: before `,` or `}`).
    private static func skipValue(_ bytes: [UInt8], _ start: Int) -> Int {
        var depth = 0
        var i = start
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "\""):
                i = skipString(bytes, i)
                if depth == 0 { return i }
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 0 { return i }
                depth -= 1
                if depth == 0 { return i + 1 }
            case UInt8(ascii: ","):
                if depth == 0 { return i }
            default:
                break
            }
            i += 1
        }
        return i
    }

    /// The index just past the string starting at `start` (its opening quote).
    private static func skipString(_ bytes: [UInt8], _ start: Int) -> Int {
        var i = start + 1
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\\") {
                i += 2
            } else if bytes[i] == UInt8(ascii: "\"") {
                return i + 1
            } else {
                i += 1
            }
        }
        return i
    }

    /// Decodes the string starting at `start` (its opening quote); returns it and the index past it.
    static func decodeString(_ bytes: [UInt8], _ start: Int) -> (String, Int) {
        var out: [UInt8] = []
        var i = start + 1
        var pendingHigh: UInt32? = nil
        func appendScalar(_ value: UInt32) {
            let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
            out.append(contentsOf: Array(String(scalar).utf8))
        }
        while i < bytes.count, bytes[i] != UInt8(ascii: "\"") {
            if bytes[i] != UInt8(ascii: "\\") {
                if let high = pendingHigh { appendScalar(high); pendingHigh = nil }
                out.append(bytes[i])
                i += 1
                continue
            }
            let escape = i + 1 < bytes.count ? bytes[i + 1] : 0
            i += 2
            if escape == UInt8(ascii: "u"), i + 4 <= bytes.count,
                let code = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16)
            {
                i += 4
                if let high = pendingHigh {
                    pendingHigh = nil
                    if (0xDC00...0xDFFF).contains(code) {
                        appendScalar(0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00))
                        continue
                    }
                    appendScalar(high)
                }
                if (0xD800...0xDBFF).contains(code) {
                    pendingHigh = code
                } else {
                    appendScalar(code)
                }
                continue
            }
            if let high = pendingHigh { appendScalar(high); pendingHigh = nil }
            switch escape {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            default: out.append(escape)  // \" \\ \/
            }
        }
        if let high = pendingHigh { appendScalar(high) }
        return (String(decoding: out, as: UTF8.self), i + 1)
    }
}
