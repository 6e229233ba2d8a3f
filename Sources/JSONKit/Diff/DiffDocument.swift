#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One side of a diff: the validated bytes and their container index, walked one level at a
/// time. Valid only inside the `withUnsafeBytes` of the data it was made from.
struct DiffDocument {
    let p: UnsafePointer<UInt8>
    let n: Int
    let spans: [DiffSpan]
    /// The top-level value.
    let root: DiffValue

    /// No container marker in `DiffValue.container`.
    static let noContainer = UInt32.max

    init(bytes: UnsafeBufferPointer<UInt8>, side: JSONDiffError.Side, maxDepth: Int) throws {
        guard bytes.count < Int(UInt32.max) else {
            throw JSONDiffError(side: side, error: JSONError(
                line: 1, column: 1, message: "document of \(bytes.count) bytes is too large to compare (limit 4 GiB)"))
        }
        var builder = DiffIndexBuilder(estimatedContainers: bytes.count / 64 + 16)
        do {
            try JSONScanner.scan(bytes, maxDepth: maxDepth, handler: &builder)
        } catch let error as JSONError {
            throw JSONDiffError(side: side, error: error)
        }
        // Validated: a non-empty buffer.
        p = bytes.baseAddress!
        n = bytes.count
        spans = builder.spans
        let start = builder.rootStart
        var next = 0
        root = DiffDocument.value(at: start, p: p, n: n, spans: spans, next: &next)
    }

    // MARK: - One level of a container

    /// The elements of the array `value` (a non-empty one when `value.container` is set).
    func elements(of value: DiffValue) -> [DiffValue] {
        var out: [DiffValue] = []
        forEachChild(of: value, isObject: false) { _, _, element in out.append(element) }
        return out
    }

    /// The members of the object `value`, keys as written.
    func members(of value: DiffValue) -> [DiffMember] {
        var out: [DiffMember] = []
        members(of: value, into: &out)
        return out
    }

    /// The members of the object `value`, appended to `out` (a buffer used again and again).
    func members(of value: DiffValue, into out: inout [DiffMember]) {
        forEachChild(of: value, isObject: true) { keyStart, keyEnd, member in
            out.append(DiffMember(keyStart: UInt32(truncatingIfNeeded: keyStart), keyEnd: UInt32(truncatingIfNeeded: keyEnd), value: member))
        }
    }

    /// The one walk over a container's children, in order: `body` gets an object member's key
    /// token bounds (quotes included) and value, or an array element (its key bounds empty).
    /// Always inlined, so that each caller's loop is its own, with no call per child.
    @inline(__always)
    private func forEachChild(of value: DiffValue, isObject: Bool, _ body: (_ keyStart: Int, _ keyEnd: Int, _ child: DiffValue) -> Void) {
        guard value.container != Self.noContainer else { return }
        let c = Int(value.container)
        let close = Int(spans[c].end)
        var next = c + 1
        var i = Int(value.start) + 1
        while true {
            i = skipSpace(i)
            if i >= close { break }
            if p[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            let keyStart = i
            var keyEnd = i
            if isObject {
                keyEnd = stringEnd(i)
                i = skipSpace(keyEnd) + 1  // past ':'
                i = skipSpace(i)
            }
            let child = Self.value(at: i, p: p, n: n, spans: spans, next: &next)
            body(keyStart, keyEnd, child)
            i = Int(child.end)
        }
    }

    /// The value starting at `start`; `next` is the index of the next container to open in
    /// document order, moved past this value's containers.
    @inline(__always)
    static func value(at start: Int, p: UnsafePointer<UInt8>, n: Int, spans: [DiffSpan], next: inout Int) -> DiffValue {
        let b = p[start]
        var end = start
        var container = noContainer
        switch b {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            if next < spans.count && Int(spans[next].start) == start {
                container = UInt32(truncatingIfNeeded: next)
                end = Int(spans[next].end) + 1
                next += Int(spans[next].descendants) + 1
            } else {
                // Empty: only whitespace before the closing bracket.
                var j = start + 1
                while j < n && p[j] != UInt8(ascii: "}") && p[j] != UInt8(ascii: "]") { j += 1 }
                end = j + 1
            }
        case UInt8(ascii: "\""):
            end = stringEnd(start, p: p, n: n)
        default:
            end = start + 1
            while end < n {
                let c = p[end]
                if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 || c == UInt8(ascii: ",")
                    || c == UInt8(ascii: "]") || c == UInt8(ascii: "}") { break }
                end += 1
            }
        }
        return DiffValue(start: UInt32(truncatingIfNeeded: start), end: UInt32(truncatingIfNeeded: end), container: container)
    }

    // MARK: - Bytes

    @inline(__always)
    func skipSpace(_ start: Int) -> Int { JSONScanner.skipWhitespace(start, p: p, n: n) }

    @inline(__always)
    func stringEnd(_ start: Int) -> Int { Self.stringEnd(start, p: p, n: n) }

    /// Just past the closing quote of the (validated) string starting at `start`.
    @inline(__always)
    static func stringEnd(_ start: Int, p: UnsafePointer<UInt8>, n: Int) -> Int {
        var escaped = false
        return stringEnd(start, p: p, n: n, escaped: &escaped)
    }

    /// Just past the closing quote of the (validated) string starting at `start`; sets
    /// `escaped` when it holds a backslash.
    @inline(__always)
    static func stringEnd(_ start: Int, p: UnsafePointer<UInt8>, n: Int, escaped: inout Bool) -> Int {
        var i = start + 1
        while true {
            while i + 8 <= n {
                let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                if hasQuoteOrBackslash(w) { break }
                i += 8
            }
            while i < n {
                let b = p[i]
                if b == UInt8(ascii: "\"") { return i + 1 }
                if b == UInt8(ascii: "\\") { break }
                i += 1
            }
            guard i < n else { return n }
            escaped = true
            i += 2  // an escape: never a closing quote
        }
    }

    /// Whether any byte of `w` is `"` or `\`.
    @inline(__always)
    static func hasQuoteOrBackslash(_ w: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = w ^ (ones &* 0x22)
        let slash = w ^ (ones &* 0x5C)
        return (((quote &- ones) & ~quote) | ((slash &- ones) & ~slash)) & highs != 0
    }

    /// Whether two byte ranges (of this and `other`) hold the same bytes.
    @inline(__always)
    func sameBytes(_ a: DiffValue, _ other: DiffDocument, _ b: DiffValue) -> Bool {
        let count = Int(a.end - a.start)
        return count == Int(b.end - b.start) && memcmp(p + Int(a.start), other.p + Int(b.start), count) == 0
    }

    /// Whether the bytes `start..<end` hold a backslash.
    @inline(__always)
    func hasBackslash(_ start: Int, _ end: Int) -> Bool {
        memchr(p + start, Int32(UInt8(ascii: "\\")), end - start) != nil
    }
}

/// A value in a document: its bytes, and its container's index when it is a non-empty one.
struct DiffValue {
    var start: UInt32
    var end: UInt32
    var container: UInt32

    var range: Range<Int> { Int(start)..<Int(end) }
}

/// An object member: the key token (quotes included) and the value.
struct DiffMember {
    var keyStart: UInt32
    var keyEnd: UInt32
    var value: DiffValue
}
