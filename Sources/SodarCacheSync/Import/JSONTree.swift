import Foundation
import JSONKit

/// A small JSON tree for project lists, read after JSONKit has validated the bytes (so syntax
/// errors carry a line and column) and keeping key order and each value's position, so that a
/// bad record can be named by its line. Foundation's `JSONSerialization` keeps neither.
struct JSONTree {
    indirect enum Value {
        case string(String)
        case number(String)
        case bool(Bool)
        case null
        case array([JSONTree])
        case object([(key: String, value: JSONTree)])
    }

    var value: Value
    /// The byte offset where the value starts.
    var offset: Int

    /// Parses `data`.
    /// - Throws: `JSONError` (line and column) for anything that is not valid JSON.
    static func parse(_ data: Data) throws -> JSONTree {
        try JSON.validate(data)
        let bytes = [UInt8](data)
        var index = 0
        return read(bytes, &index)
    }

    /// The member `key` of an object, or nil (also for non-objects).
    subscript(key: String) -> JSONTree? {
        guard case .object(let members) = value else { return nil }
        return members.first { $0.key == key }?.value
    }

    var isNull: Bool {
        if case .null = value { return true }
        return false
    }

    var string: String? {
        if case .string(let text) = value { return text }
        return nil
    }

    /// A short description for messages: strings quoted, other values by kind.
    var shown: String {
        switch value {
        case .string(let text): return JSON.quote(text)
        case .number(let text): return text
        case .bool(let flag): return String(flag)
        case .null: return "null"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// The 1-based line of `offset` in `data`.
    static func line(of offset: Int, in data: Data) -> Int {
        data.prefix(offset).reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
    }

    // MARK: - Reading validated bytes

    /// The index just past the string token starting at `start` (its opening quote).
    private static func stringEnd(_ bytes: [UInt8], _ start: Int) -> Int {
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

    private static func skipSpace(_ bytes: [UInt8], _ index: inout Int) {
        while index < bytes.count, JSONObjectSplitter.isSpace(bytes[index]) { index += 1 }
    }

    private static func read(_ bytes: [UInt8], _ index: inout Int) -> JSONTree {
        skipSpace(bytes, &index)
        let start = index
        guard index < bytes.count else { return JSONTree(value: .null, offset: start) }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            let end = Self.stringEnd(bytes, index)
            let text = JSON.decodeString(bytes[index..<end])
            index = end
            return JSONTree(value: .string(text), offset: start)
        case UInt8(ascii: "{"):
            index += 1
            var members: [(key: String, value: JSONTree)] = []
            skipSpace(bytes, &index)
            while index < bytes.count, bytes[index] != UInt8(ascii: "}") {
                let keyEnd = Self.stringEnd(bytes, index)
                let key = JSON.decodeString(bytes[index..<keyEnd])
                index = keyEnd
                skipSpace(bytes, &index)
                index += 1  // ':'
                members.append((key, read(bytes, &index)))
                skipSpace(bytes, &index)
                if index < bytes.count, bytes[index] == UInt8(ascii: ",") { index += 1 }
                skipSpace(bytes, &index)
            }
            index += 1
            return JSONTree(value: .object(members), offset: start)
        case UInt8(ascii: "["):
            index += 1
            var elements: [JSONTree] = []
            skipSpace(bytes, &index)
            while index < bytes.count, bytes[index] != UInt8(ascii: "]") {
                elements.append(read(bytes, &index))
                skipSpace(bytes, &index)
                if index < bytes.count, bytes[index] == UInt8(ascii: ",") { index += 1 }
                skipSpace(bytes, &index)
            }
            index += 1
            return JSONTree(value: .array(elements), offset: start)
        case UInt8(ascii: "t"):
            index += 4
            return JSONTree(value: .bool(true), offset: start)
        case UInt8(ascii: "f"):
            index += 5
            return JSONTree(value: .bool(false), offset: start)
        case UInt8(ascii: "n"):
            index += 4
            return JSONTree(value: .null, offset: start)
        default:
            while index < bytes.count, !JSONObjectSplitter.isSpace(bytes[index]),
                ![UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}")].contains(bytes[index])
            {
                index += 1
            }
            return JSONTree(value: .number(String(decoding: bytes[start..<index], as: UTF8.self)), offset: start)
        }
    }
}
