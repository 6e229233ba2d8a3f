#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A validated payload with a fold index, for viewers. Immutable; Sendable.
///
/// Lines are those of the 2-space pretty form and are rendered on demand from the source
/// bytes; the index holds one 32-bit source offset per line plus one entry per non-empty
/// container, never the pretty text itself.
public final class JSONDocument: Sendable {
    /// The payload as given.
    public let data: Data
    let lineOffsets: [UInt32]
    /// Every non-empty object/array, ordered by `startLine`.
    public let containers: [JSONContainer]
    let parents: [Int32]
    let descendants: [Int32]

    /// Validates `data` and builds the line and fold index.
    /// - Throws: `JSONError` if `data` is not valid JSON, nests deeper than `maxDepth`, or
    ///   is 4 GiB or more.
    public init(data: Data, maxDepth: Int = 512) throws {
        guard data.count < Int(UInt32.max) else {
            throw JSONError(line: 1, column: 1,
                            message: "payload of \(data.count) bytes is too large to view (limit 4 GiB)")
        }
        var builder = JSONIndexBuilder(estimatedLines: data.count / 14 + 16)
        try data.withUnsafeBytes { raw in
            try JSONScanner.scan(raw: raw, maxDepth: maxDepth, handler: &builder)
        }
        self.data = data
        self.lineOffsets = builder.lineOffsets
        self.containers = builder.containers
        self.parents = builder.parents
        self.descendants = builder.descendants
    }

    /// Lines of the 2-space pretty form.
    public var lineCount: Int { lineOffsets.count }

    /// Line `index` (0-based) of the pretty form; an empty line when out of range.
    /// - Parameter maxBytes: source bytes to read at most: a longer line (a 50 MB string) comes
    ///   back cut (`isCut`) after a whole character, before a backslash escape it would split.
    public func line(_ index: Int, maxBytes: Int = .max) -> JSONLine {
        guard index >= 0 && index < lineOffsets.count else { return JSONLine(indent: 0, segments: []) }
        let indent = 2 * depth(ofLine: index)
        let start = Int(lineOffsets[index])
        let limit = maxBytes >= data.count - start ? Int.max : start + max(0, maxBytes)
        var segments: [JSONSegment] = []
        let cut = withLine(index, limit: limit) { piece, bytes in
            switch piece {
            case .punctuation(let text):
                segments.append(JSONSegment(text: text.description, kind: .punctuation))
            case .token(let kind, let start, var end):
                if end >= limit {
                    // Not into a character, nor into an escape such as \u001b.
                    while end > start, end < bytes.count, bytes[end] & 0xC0 == 0x80 { end -= 1 }
                    var k = end - 1
                    while k > max(start, end - 6) {
                        if bytes[k] == UInt8(ascii: "\\") { end = k; break }
                        k -= 1
                    }
                }
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
                let shown = (kind == .key || kind == .string) ? Display.escape(text) : text
                segments.append(JSONSegment(text: shown, kind: kind))
            }
        }
        return JSONLine(indent: indent, segments: segments, isCut: cut)
    }

    /// The container whose opening bracket is on `line`, if any.
    public func container(openingAt line: Int) -> JSONContainer? {
        containerIndex(openingAt: line).map { containers[$0] }
    }

    // MARK: - Index lookups

    func containerIndex(openingAt line: Int) -> Int? {
        let k = lastContainer(startingAtOrBefore: line)
        return k >= 0 && containers[k].startLine == line ? k : nil
    }

    /// Index of the last container whose `startLine` is at most `line`, or -1.
    func lastContainer(startingAtOrBefore line: Int) -> Int {
        var low = 0
        var high = containers.count
        while low < high {
            let mid = (low + high) / 2
            if containers[mid].startLine <= line { low = mid + 1 } else { high = mid }
        }
        return low - 1
    }

    /// The innermost container whose line range includes `line`, or -1.
    func innermostContainer(ofLine line: Int) -> Int {
        var k = lastContainer(startingAtOrBefore: line)
        while k >= 0 && containers[k].endLine < line { k = Int(parents[k]) }
        return k
    }

    /// Nesting level of the line's first token.
    func depth(ofLine line: Int) -> Int {
        let k = innermostContainer(ofLine: line)
        guard k >= 0 else { return 0 }
        let c = containers[k]
        return c.startLine == line || c.endLine == line ? c.depth : c.depth + 1
    }

    /// The line whose source span holds byte `offset`.
    func line(containingOffset offset: Int) -> Int {
        var low = 0
        var high = lineOffsets.count
        while low < high {
            let mid = (low + high) / 2
            if Int(lineOffsets[mid]) <= offset { low = mid + 1 } else { high = mid }
        }
        return max(0, low - 1)
    }
}
