#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension JSON {
    /// The members of a top-level object, in order: each key decoded, each value's bytes as
    /// written (a range of `data`, so payloads are never rebuilt). Nil when the value is not an
    /// object. Validates `data` as it goes.
    /// - Throws: `JSONError` if `data` is not valid JSON.
    public static func objectMembers(_ data: Data, maxDepth: Int = defaultMaxDepth) throws -> [(key: String, value: Range<Int>)]? {
        var collector = MemberCollector()
        try data.withUnsafeBytes { raw in
            try JSONScanner.scan(raw: raw, maxDepth: maxDepth, handler: &collector)
        }
        guard collector.isObject else { return nil }
        let bytes = [UInt8](data)
        return collector.members.map { (decodeString(bytes[$0.key]), $0.value) }
    }

    /// The elements of a top-level array, in order: each one's bytes as written (a range of
    /// `data`). Nil when the value is not an array. Validates `data` as it goes.
    /// - Throws: `JSONError` if `data` is not valid JSON.
    public static func arrayElements(_ data: Data, maxDepth: Int = defaultMaxDepth) throws -> [Range<Int>]? {
        var collector = MemberCollector()
        try data.withUnsafeBytes { raw in
            try JSONScanner.scan(raw: raw, maxDepth: maxDepth, handler: &collector)
        }
        guard collector.isArray else { return nil }
        return collector.elements
    }

    /// The text of a string token (its quotes included), escapes decoded; a lone surrogate
    /// escape becomes U+FFFD.
    public static func decodeString(_ token: some Collection<UInt8>) -> String {
        let bytes = Array(token)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.first == UInt8(ascii: "\"") ? 1 : 0
        var pendingHigh: UInt32?
        func appendScalar(_ value: UInt32) {
            out.append(contentsOf: Array(String(Unicode.Scalar(value) ?? "\u{FFFD}").utf8))
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
                if (0xD800...0xDBFF).contains(code) { pendingHigh = code } else { appendScalar(code) }
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
        return String(decoding: out, as: UTF8.self)
    }
}

/// Collects the top-level container's children from the scanner's events: an object's key
/// ranges and the byte range of each value, or an array's element ranges.
struct MemberCollector: JSONEventHandler {
    var isObject = false
    var isArray = false
    var members: [(key: Range<Int>, value: Range<Int>)] = []
    var elements: [Range<Int>] = []
    /// Containers open now.
    private var level = 0
    private var key: Range<Int>?
    private var valueStart = 0

    mutating func begin(at start: Int) {}
    mutating func separator(first: Bool, depth: Int, next: Int) {}

    mutating func key(_ start: Int, _ end: Int) {
        if level == 1 { key = start..<end }
    }

    mutating func scalar(_ kind: JSONTokenKind, _ start: Int, _ end: Int) {
        if level == 1 { add(start..<end) }
    }

    mutating func empty(isArray: Bool, _ start: Int, _ end: Int) {
        if level == 0 { (isObject, self.isArray) = (!isArray, isArray) }
        if level == 1 { add(start..<end) }
    }

    mutating func open(isArray: Bool, _ start: Int, depth: Int) {
        if level == 0 { (isObject, self.isArray) = (!isArray, isArray) }
        if level == 1 { valueStart = start }
        level += 1
    }

    mutating func close(isArray: Bool, _ start: Int, depth: Int) {
        level -= 1
        if level == 1 { add(valueStart..<(start + 1)) }
    }

    private mutating func add(_ value: Range<Int>) {
        if isArray {
            elements.append(value)
        } else if let key, isObject {
            members.append((key, value))
        }
        key = nil
    }
}
