import Foundation
import JSONKit
import Testing

/// JSONDiff against a plain model of what two documents mean, over generated documents with
/// random whitespace, escapes, duplicate keys and number spellings.
@Suite struct DiffPropertyTests {
    /// What a document means, built with JSON.objectMembers/arrayElements: keys unordered
    /// (the last of duplicates kept), strings decoded, numbers by spelling or by value.
    indirect enum Meaning: Equatable {
        case object([String: Meaning])
        case array([Meaning])
        case string(String)
        case number(String)
        case literal(String)

        init(_ data: Data, byValue: Bool) throws {
            if let members = try JSON.objectMembers(data) {
                var object: [String: Meaning] = [:]
                for member in members { object[member.key] = try Meaning(Data(data[member.value]), byValue: byValue) }
                self = .object(object)
            } else if let elements = try JSON.arrayElements(data) {
                self = .array(try elements.map { try Meaning(Data(data[$0]), byValue: byValue) })
            } else {
                let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                if text.hasPrefix("\"") {
                    self = .string(JSON.decodeString(Array(text.utf8)))
                } else if ["true", "false", "null"].contains(text) {
                    self = .literal(text)
                } else {
                    self = .number(byValue ? Self.decimal(text) : text)
                }
            }
        }

        /// `-`, the significant digits and the exponent of the first one: `1.50e1` is `15e1`.
        static func decimal(_ text: String) -> String {
            var rest = Substring(text)
            let negative = rest.hasPrefix("-")
            if negative { rest = rest.dropFirst() }
            var exponent = 0
            if let e = rest.firstIndex(where: { $0 == "e" || $0 == "E" }) {
                exponent = Int(rest[rest.index(after: e)...].replacingOccurrences(of: "+", with: "")) ?? 0
                rest = rest[..<e]
            }
            let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
            let whole = String(parts[0])
            let fraction = parts.count > 1 ? String(parts[1]) : ""
            var digits = Substring(whole + fraction)
            var point = whole.count
            while digits.first == "0" {
                digits = digits.dropFirst()
                point -= 1
            }
            while digits.last == "0" { digits = digits.dropLast() }
            if digits.isEmpty { return "0" }
            return (negative ? "-" : "") + digits + "e\(point + exponent)"
        }

        /// Written out again with every key in reverse order and strings re-escaped.
        var reordered: String {
            switch self {
            case .object(let members):
                return "{" + members.keys.sorted(by: >).map { JSON.quote($0) + ":" + members[$0]!.reordered }.joined(separator: ",") + "}"
            case .array(let elements):
                return "[" + elements.map(\.reordered).joined(separator: ", ") + "]"
            case .string(let text): return JSON.quote(text)
            case .number(let text), .literal(let text): return text
            }
        }
    }

    /// The value at `path` in `data`: the bytes `JSONDiffChange` names must be there.
    func resolve(_ path: JSONPath, in data: Data) throws -> Range<Int>? {
        var range = data.startIndex..<data.endIndex
        for component in path.components {
            let slice = Data(data[range])
            switch component {
            case .key(let key):
                guard let members = try JSON.objectMembers(slice), let member = members.last(where: { $0.key == key }) else { return nil }
                range = (range.lowerBound + member.value.lowerBound)..<(range.lowerBound + member.value.upperBound)
            case .index(let index):
                guard let elements = try JSON.arrayElements(slice), index < elements.count else { return nil }
                range = (range.lowerBound + elements[index].lowerBound)..<(range.lowerBound + elements[index].upperBound)
            }
        }
        // The top value without the whitespace around it.
        if path.components.isEmpty {
            let bytes = Array(data)
            var lower = 0
            var upper = bytes.count
            while lower < upper, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[lower]) { lower += 1 }
            while upper > lower, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[upper - 1]) { upper -= 1 }
            range = lower..<upper
        }
        return range
    }

    /// A pair to compare: another document, the same reordered, or the same with one value changed.
    func pair(seed: UInt64) throws -> (Data, Data) {
        var generator = JSONGenerator(seed: seed)
        let old = Data(generator.document().utf8)
        switch seed % 3 {
        case 0:
            return (old, Data(generator.document().utf8))
        case 1:
            return (old, Data(try Meaning(old, byValue: false).reordered.utf8))
        default:
            // One value replaced by another: the first member's or element's, or the whole.
            let changed = Meaning.array([.string("changed"), .number("1")])
            var meaning = try Meaning(old, byValue: false)
            switch meaning {
            case .object(var members) where !members.isEmpty:
                members[members.keys.sorted().last!] = changed
                meaning = .object(members)
            case .array(var elements) where !elements.isEmpty:
                elements[0] = changed
                meaning = .array(elements)
            default:
                meaning = .object(["changed": .literal("true")])
            }
            let text = meaning.reordered
            return (old, Data(text.utf8))
        }
    }

    @Test(arguments: Array(UInt64(1)...UInt64(240)))
    func changesMatchTheMeaningAndPointAtTheirValues(seed: UInt64) throws {
        let (old, new) = try pair(seed: seed)
        for byValue in [false, true] {
            let result = try JSONDiff.compare(old, new, options: JSONDiffOptions(numbersByValue: byValue))
            let equal = try Meaning(old, byValue: byValue) == Meaning(new, byValue: byValue)
            #expect(result.isEqual == equal, "\(String(decoding: old, as: UTF8.self)) vs \(String(decoding: new, as: UTF8.self))")
            for change in result.changes {
                if let path = change.oldPath {
                    #expect(try resolve(path, in: old) == change.oldRange, "old \(path)")
                }
                if let path = change.newPath {
                    #expect(try resolve(path, in: new) == change.newRange, "new \(path)")
                }
                #expect((change.oldRange == nil) == (change.kind == .added))
                #expect((change.newRange == nil) == (change.kind == .removed))
                // The two sides of a change differ in meaning.
                if change.kind == .changed, let a = result.oldValue(change), let b = result.newValue(change) {
                    #expect(try Meaning(a, byValue: byValue) != Meaning(b, byValue: byValue), "\(change.path)")
                }
            }
            #expect(try JSONDiff.compare(old, old).isEqual)
            #expect(try JSONDiff.compare(old, JSON.pretty(old)).isEqual)
        }
    }
}
