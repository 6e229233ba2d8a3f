extension JSONDocument {
    /// The next line after `fromLine` (or before it, backward) whose displayed text
    /// contains `needle`, ignoring case; wraps around the ends and reaches `fromLine`
    /// itself last. Nil for an empty needle or when no line matches.
    ///
    /// Needles without spaces, punctuation or backslashes are found by scanning the source
    /// bytes; others by rendering each line into a reused byte buffer.
    public func search(_ needle: String, fromLine: Int, forward: Bool) -> Int? {
        guard !needle.isEmpty, !lineOffsets.isEmpty else { return nil }
        let from = min(max(fromLine, 0), lineOffsets.count - 1)
        let isASCII = needle.utf8.allSatisfy { $0 < 0x80 }
        guard isASCII else { return searchByLines(needle, from: from, forward: forward) }
        let folded = needle.utf8.map(Self.lower)
        let needsRendering = folded.contains { b in
            b <= 0x20 || b == 0x7F || b == UInt8(ascii: ":") || b == UInt8(ascii: ",") || b == UInt8(ascii: "\\")
                || b == UInt8(ascii: "{") || b == UInt8(ascii: "}") || b == UInt8(ascii: "[") || b == UInt8(ascii: "]")
        }
        // Raw DEL, C1 and bidi characters show as `\u202e`-style escapes: then the displayed
        // text is not the source, and a needle such as "202e" or "e" must see the escape.
        if needsRendering || containsDisplayEscapes { return searchByLines(needle, from: from, forward: forward) }
        return data.withUnsafeBytes { raw in
            let bytes = raw.assumingMemoryBound(to: UInt8.self)
            // Within one token the displayed text equals the source; such a needle cannot
            // span two tokens, so every source match is a displayed match on its line.
            if forward {
                let split = from + 1 < lineOffsets.count ? Int(lineOffsets[from + 1]) : bytes.count
                if let hit = Self.firstMatch(folded, in: bytes, from: split, to: bytes.count)
                    ?? Self.firstMatch(folded, in: bytes, from: 0, to: split) {
                    return line(containingOffset: hit)
                }
            } else {
                let split = Int(lineOffsets[from])
                if let hit = Self.lastMatch(folded, in: bytes, from: 0, to: split)
                    ?? Self.lastMatch(folded, in: bytes, from: split, to: bytes.count) {
                    return line(containingOffset: hit)
                }
            }
            return nil
        }
    }

    // MARK: - Source scan

    /// Whether some string holds a character the display escapes (DEL, C1, bidi), as
    /// `Display.appendEscaped` finds them. Outside strings valid JSON has none of these bytes.
    var containsDisplayEscapes: Bool {
        data.withUnsafeBytes { raw in
            let bytes = raw.assumingMemoryBound(to: UInt8.self)
            let count = bytes.count
            var i = 0
            while i < count {
                let b = bytes[i]
                if b == 0x7F { return true }
                if b == 0xC2, i + 1 < count, bytes[i + 1] >= 0x80, bytes[i + 1] <= 0x9F { return true }
                if b == 0xE2, i + 2 < count {
                    let v = 0x2000 | (UInt32(bytes[i + 1] & 0x3F) << 6) | UInt32(bytes[i + 2] & 0x3F)
                    if (v >= 0x202A && v <= 0x202E) || (v >= 0x2066 && v <= 0x2069) { return true }
                }
                i += 1
            }
            return false
        }
    }

    @inline(__always)
    static func lower(_ b: UInt8) -> UInt8 {
        (b &- UInt8(ascii: "A")) < 26 ? b | 0x20 : b
    }

    /// The first offset in `start..<end` where `needle` (already lower-cased) begins.
    static func firstMatch(_ needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int? {
        let m = needle.count
        guard let first = needle.first, m <= bytes.count else { return nil }
        var i = start
        let last = min(end, bytes.count - m + 1)
        while i < last {
            if lower(bytes[i]) == first {
                var k = 1
                while k < m && lower(bytes[i + k]) == needle[k] { k += 1 }
                if k == m { return i }
            }
            i += 1
        }
        return nil
    }

    /// The last offset in `start..<end` where `needle` (already lower-cased) begins.
    static func lastMatch(_ needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int? {
        var found: Int?
        var i = start
        while let hit = firstMatch(needle, in: bytes, from: i, to: end) {
            found = hit
            i = hit + 1
        }
        return found
    }

    // MARK: - Line by line

    private func searchByLines(_ needle: String, from: Int, forward: Bool) -> Int? {
        let count = lineOffsets.count
        let isASCII = needle.utf8.allSatisfy { $0 < 0x80 }
        let folded = needle.utf8.map(Self.lower)
        let lowered = needle.lowercased()
        var buffer: [UInt8] = []
        buffer.reserveCapacity(256)
        for step in 1...count {
            let line = forward ? (from + step) % count : (from - step % count + count) % count
            buffer.removeAll(keepingCapacity: true)
            renderDisplayed(line, into: &buffer)
            if isASCII {
                let found = buffer.withUnsafeBufferPointer {
                    Self.firstMatch(folded, in: $0, from: 0, to: $0.count) != nil
                }
                if found { return line }
            } else if String(decoding: buffer, as: UTF8.self).lowercased().contains(lowered) {
                return line
            }
        }
        return nil
    }

    /// The displayed bytes of a line without its indent, ASCII letters lower-cased.
    func renderDisplayed(_ index: Int, into out: inout [UInt8]) {
        withLine(index) { piece, bytes in
            switch piece {
            case .punctuation(let text):
                out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
            case .token(let kind, let start, let end):
                if kind == .key || kind == .string {
                    Display.appendEscaped(bytes, start, end, into: &out)
                } else {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<end]))
                }
            }
        }
        for k in out.indices { out[k] = Self.lower(out[k]) }
    }
}
