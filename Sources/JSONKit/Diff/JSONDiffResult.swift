#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What `JSONDiff.compare` found, with both documents to show the values from.
public struct JSONDiffResult: Sendable {
    /// The old document, as given.
    public let old: Data
    /// The new document, as given.
    public let new: Data
    /// How the documents were compared.
    public let options: JSONDiffOptions
    /// Every change, in document order (the old document's order for changed and removed
    /// members, then the members only the new one has).
    public let changes: [JSONDiffChange]
    /// Arrays (their paths in the new document) where the search for inserted and removed
    /// elements reached its bound, and which were compared position by position from there:
    /// an insertion in them may show as later elements changed.
    public let positionalArrays: [JSONPath]

    public init(old: Data, new: Data, options: JSONDiffOptions, changes: [JSONDiffChange], positionalArrays: [JSONPath]) {
        self.old = old
        self.new = new
        self.options = options
        self.changes = changes
        self.positionalArrays = positionalArrays
    }

    /// No change at all.
    public var isEqual: Bool { changes.isEmpty }

    /// Some array was compared position by position past a bound.
    public var isBounded: Bool { !positionalArrays.isEmpty }

    // MARK: - Values

    /// The bytes of a value of the old (`old: true`) or new document, as written: a copy
    /// whose indices start at 0.
    public func bytes(_ range: Range<Int>, old isOld: Bool) -> Data {
        let data = isOld ? old : new
        let start = data.startIndex + range.lowerBound
        return Data(data[start..<(start + range.count)])
    }

    /// The old value of a change, as written; nil for an added one.
    public func oldValue(_ change: JSONDiffChange) -> Data? { change.oldRange.map { bytes($0, old: true) } }

    /// The new value of a change, as written; nil for a removed one.
    public func newValue(_ change: JSONDiffChange) -> Data? { change.newRange.map { bytes($0, old: false) } }

    /// A value in compact form (no whitespace outside strings), cut after about `limit`
    /// bytes with `…`, and safe for a terminal (`Display.escape`).
    public func preview(_ range: Range<Int>, old isOld: Bool, limit: Int = 120) -> String {
        let data = isOld ? old : new
        var out: [UInt8] = []
        out.reserveCapacity(min(range.count, limit) + 4)
        var cut = false
        data.withUnsafeBytes { raw in
            let bytes = raw.assumingMemoryBound(to: UInt8.self)
            CompactBytes.forEach(bytes, in: range) { byte in
                // Cut only before a character starts.
                if out.count >= limit && byte & 0xC0 != 0x80 {
                    cut = true
                    return false
                }
                out.append(byte)
                return true
            }
        }
        let text = Display.escape(String(decoding: out, as: UTF8.self))
        return cut ? text + "…" : text
    }

    /// For a change from one string to another: the part that changed, with some common text
    /// around it. Nil unless both values are strings.
    public func stringDelta(_ change: JSONDiffChange, context: Int = 24) -> JSONStringDelta? {
        guard let oldRange = change.oldRange, let newRange = change.newRange else { return nil }
        let oldBytes = bytes(oldRange, old: true)
        let newBytes = bytes(newRange, old: false)
        guard oldBytes.first == UInt8(ascii: "\""), newBytes.first == UInt8(ascii: "\"") else { return nil }
        return JSONStringDelta(old: JSON.decodeString(oldBytes), new: JSON.decodeString(newBytes), context: context)
    }
}
