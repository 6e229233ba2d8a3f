#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A value of a document in compact form, or how large that form is when it exceeds a limit.
public enum CompactValue: Sendable, Hashable {
    /// The compact JSON text: a scalar as written, a container without whitespace.
    case json(Data)
    /// The compact form would take this many bytes, more than the limit: nothing was kept.
    case tooLarge(byteCount: Int)
}

extension JSONDocument {
    /// The source bytes of the value that starts (or, for a closing bracket, ends) on `line`:
    /// for an object member its value without the key; for a container, brackets included.
    public func valueRange(ofLine line: Int) -> Range<Int> {
        guard line >= 0 && line < lineOffsets.count else { return 0..<0 }
        return data.withUnsafeBytes { raw in
            let bytes = raw.assumingMemoryBound(to: UInt8.self)
            let offset = Int(lineOffsets[line])
            guard offset < bytes.count else { return offset..<offset }
            if bytes[offset] == UInt8(ascii: "}") || bytes[offset] == UInt8(ascii: "]") {
                // A closing line stands for its container, which opens on an earlier line.
                let k = innermostContainer(ofLine: line)
                guard k >= 0 else { return offset..<(offset + 1) }
                let start = Self.valueStart(bytes, Int(lineOffsets[containers[k].startLine]))
                return start..<(offset + 1)
            }
            let start = Self.valueStart(bytes, offset)
            guard start < bytes.count else { return start..<start }
            switch bytes[start] {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if let k = containerIndex(openingAt: line) {
                    return start..<(Int(lineOffsets[containers[k].endLine]) + 1)
                }
                // An empty container: its closing bracket follows after whitespace.
                return start..<min(bytes.count, Self.skipSpace(bytes, start + 1) + 1)
            case UInt8(ascii: "\""):
                return start..<Self.stringEnd(bytes, start)
            default:
                return start..<Self.scalarEnd(bytes, start)
            }
        }
    }

    /// The compact JSON of the value on `line` (see `valueRange(ofLine:)`). Only a value of at
    /// most `limit` compact bytes is copied out; a larger one is measured, never materialised.
    public func compactValue(ofLine line: Int, limit: Int) -> CompactValue {
        let range = valueRange(ofLine: line)
        return data.withUnsafeBytes { raw in
            let bytes = raw.assumingMemoryBound(to: UInt8.self)
            var out = Data()
            out.reserveCapacity(min(range.count, max(0, limit)))
            var count = 0
            CompactBytes.forEach(bytes, in: range) { byte in
                count += 1
                if count <= limit {
                    out.append(byte)
                } else if count == limit + 1 {
                    out = Data()
                }
                return true
            }
            return count <= limit ? .json(out) : .tooLarge(byteCount: count)
        }
    }

    // MARK: - Scanning validated bytes

    /// Past a member's key and colon, when `offset` is at a key; else `offset`.
    static func valueStart(_ bytes: UnsafeBufferPointer<UInt8>, _ offset: Int) -> Int {
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else { return offset }
        let afterString = skipSpace(bytes, stringEnd(bytes, offset))
        guard afterString < bytes.count, bytes[afterString] == UInt8(ascii: ":") else { return offset }
        return skipSpace(bytes, afterString + 1)
    }

    static func skipSpace(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int {
        var i = start
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
        return i
    }

    /// Just past the closing quote of the string starting at `start`.
    static func stringEnd(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int {
        var i = start + 1
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\\") {
                i += 2
                continue
            }
            if bytes[i] == UInt8(ascii: "\"") { return i + 1 }
            i += 1
        }
        return bytes.count
    }

    /// Just past the number or literal starting at `start`.
    static func scalarEnd(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int {
        var i = start
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x0A, 0x0D, 0x09, UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"):
                return i
            default: i += 1
            }
        }
        return bytes.count
    }
}
