import Foundation
import JSONKit

/// One value of a project list, read through JSONKit: its bytes as written and where they start
/// in the file. An object's members, an array's elements and a string's text come from JSONKit
/// (`JSON.objectMembers`, `JSON.arrayElements`, `JSON.decodeString`), which validate what they
/// read; this only names a value's kind by its first byte.
struct ImportedJSON {
    enum Kind { case object, array, string, number, literal }

    /// The value's bytes (and any blanks around the top-level value), indexed from 0.
    let bytes: Data
    /// Where the value starts in the file.
    let offset: Int

    init(_ bytes: Data, offset: Int) {
        let blanks = bytes.prefix { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }.count
        self.bytes = Data(bytes)
        self.offset = offset + blanks
    }

    var kind: Kind {
        switch bytes.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) {
        case UInt8(ascii: "{")?: return .object
        case UInt8(ascii: "[")?: return .array
        case UInt8(ascii: "\"")?: return .string
        case UInt8(ascii: "t")?, UInt8(ascii: "f")?, UInt8(ascii: "n")?: return .literal
        default: return .number
        }
    }

    /// An object's members in order (keys decoded); nil for anything else.
    /// - Throws: `JSONError` if the bytes are not valid JSON.
    func members() throws -> [(key: String, value: ImportedJSON)]? {
        try JSON.objectMembers(bytes).map { members in
            members.map { ($0.key, ImportedJSON(bytes.subdata(in: $0.value), offset: offset + $0.value.lowerBound)) }
        }
    }

    /// An array's elements in order; nil for anything else.
    /// - Throws: `JSONError` if the bytes are not valid JSON.
    func elements() throws -> [ImportedJSON]? {
        try JSON.arrayElements(bytes).map { ranges in
            ranges.map { ImportedJSON(bytes.subdata(in: $0), offset: offset + $0.lowerBound) }
        }
    }

    /// The first member named `key` of an object.
    /// - Throws: `JSONError` if the bytes are not valid JSON.
    func member(_ key: String) throws -> ImportedJSON? {
        try members()?.first { $0.key == key }?.value
    }

    /// A string's text, escapes decoded; nil for anything else.
    var string: String? { kind == .string ? JSON.decodeString(bytes.drop { $0 != UInt8(ascii: "\"") }) : nil }

    var isNull: Bool { text == "null" }

    /// The value as written, without the blanks around it.
    var text: String {
        String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A short description for messages: strings quoted, other values by kind, on one line.
    var shown: String {
        switch kind {
        case .string: return Display.escape(JSON.quote(string ?? ""))
        case .number, .literal: return text
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
