extension JSONDocument {
    /// The next line after `fromLine` (or before it, backward) whose displayed text
    /// contains `needle`, ignoring case; wraps around the ends and reaches `fromLine`
    /// itself last. Nil for an empty needle, when no line matches, or when `isCancelled`
    /// returned true (it is asked now and then during a long search).
    ///
    /// ASCII letters match either case; another character matches its lower-case or upper-case
    /// form. The source bytes are scanned for a run of the needle that can only come
    /// from inside one token, and only the lines of its hits are rendered and checked. A
    /// needle that can also match the pretty form's own punctuation is checked line by line.
    public func search(
        _ needle: String, fromLine: Int, forward: Bool, isCancelled: () -> Bool = { false }
    ) -> Int? {
        guard !needle.isEmpty, !lineOffsets.isEmpty else { return nil }
        let from = min(max(fromLine, 0), lineOffsets.count - 1)
        let pattern = SearchPattern(needle)
        return withoutActuallyEscaping(isCancelled) { isCancelled in
            data.withUnsafeBytes { raw in
                let bytes = raw.assumingMemoryBound(to: UInt8.self)
                var scan = SearchScan(document: self, bytes: bytes, pattern: pattern, isCancelled: isCancelled)
                switch pattern.plan {
                case .byLines:
                    return scan.byLines(from: from, forward: forward)
                case .anchor(let anchor):
                    return scan.byAnchor(anchor, from: from, forward: forward)
                case .anchorUnlessEscaped(let anchor):
                    if Self.holdsEscapedScalars(bytes) { return scan.byLines(from: from, forward: forward) }
                    return scan.byAnchor(anchor, from: from, forward: forward)
                case .punctuation(let structure):
                    return scan.byPunctuation(structure, from: from, forward: forward)
                }
            }
        }
    }

    @inline(__always)
    static func lower(_ b: UInt8) -> UInt8 {
        (b &- UInt8(ascii: "A")) < 26 ? b | 0x20 : b
    }

    /// Whether the source holds a raw DEL, C1 control or bidi override/isolate: the display
    /// shows those as `\uXXXX`, text the source does not have.
    static func holdsEscapedScalars(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = bytes.count
        var i = 0
        while i < n {
            let b = bytes[i]
            if b == 0x7F { return true }
            if b == 0xC2, i + 1 < n, bytes[i + 1] >= 0x80 && bytes[i + 1] <= 0x9F { return true }
            if b == 0xE2, i + 2 < n {
                let b1 = bytes[i + 1]
                let b2 = bytes[i + 2]
                if (b1 == 0x80 && b2 >= 0xAA && b2 <= 0xAE) || (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9) { return true }
            }
            i += 1
        }
        return false
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

/// A search needle as byte units: an ASCII byte (lower-cased), or a character's forms.
struct SearchPattern {
    enum Unit {
        case byte(UInt8)
        /// The UTF-8 forms a character may take (lower, upper), ASCII lower-cased.
        case forms([[UInt8]])
    }

    /// How to look for it.
    enum Plan {
        /// Render and check every line: the needle may match the pretty form's punctuation.
        case byLines
        /// Scan the source for these units; a line can only match where they occur.
        case anchor(ArraySlice<Unit>)
        /// As `anchor`, unless the source holds characters the display escapes (whose
        /// `\uXXXX` the source lacks): then line by line.
        case anchorUnlessEscaped(ArraySlice<Unit>)
        /// Punctuation the pretty form may show: the source has these bytes in this order,
        /// with nothing but whitespace between them, where a line matches.
        case punctuation([UInt8])
    }

    let units: [Unit]
    let plan: Plan

    /// Every run of punctuation a pretty line can show between or around its tokens.
    static let punctuationRuns = [": {},", ": [],", "{},", "[],", "},", "],"].map { Array($0.utf8) }

    init(_ needle: String) {
        var units: [Unit] = []
        for character in needle.lowercased() {
            if character.isASCII, let ascii = character.asciiValue {
                units.append(.byte(JSONDocument.lower(ascii)))
                continue
            }
            // As `lowercased()` on both sides: a line's character matches when it lower-cases
            // to this one (Ö to ö; not SS to ß).
            let lower = String(character)
            var forms = [Array(lower.utf8)]
            let upper = lower.uppercased()
            if upper != lower && upper.lowercased() == lower { forms.append(upper.utf8.map(JSONDocument.lower)) }
            units.append(.forms(forms))
        }
        self.units = units
        // The longest run without separators lies inside one token in any match.
        var best = 0..<0
        var start = 0
        for (k, unit) in units.enumerated() {
            if case .byte(let b) = unit, Self.isSeparator(b) {
                if k - start > best.count { best = start..<k }
                start = k + 1
            }
        }
        if units.count - start > best.count { best = start..<units.count }
        if best.isEmpty {
            // Separators only: such a needle matches inside the punctuation of a line, or else
            // inside a string token, as in the source (but for escapes the display adds).
            let bytes = units.map { unit -> UInt8 in if case .byte(let b) = unit { return b } else { return 0 } }
            let inPunctuation = Self.punctuationRuns.contains { run in
                run.count >= bytes.count && (0...(run.count - bytes.count)).contains { Array(run[$0..<($0 + bytes.count)]) == bytes }
            }
            let structure = bytes.filter { $0 != 0x20 }
            if !inPunctuation {
                plan = .anchorUnlessEscaped(units[...])
            } else {
                plan = structure.isEmpty ? .byLines : .punctuation(structure)
            }
            return
        }
        // A match may begin inside an escape the display adds (`\u0085` for a raw U+0085):
        // up to five of the run's first characters (`u` and hex digits) may not be in the source.
        var trimmed = units[best]
        var dropped = 0
        while dropped < 5, let first = trimmed.first, case .byte(let b) = first, Self.mayEndEscape(b) {
            trimmed = trimmed.dropFirst()
            dropped += 1
        }
        plan = trimmed.isEmpty ? .anchorUnlessEscaped(units[best]) : .anchor(trimmed)
    }

    /// `u` and lower-case hex digits: the tail of a `\uXXXX` escape.
    static func mayEndEscape(_ b: UInt8) -> Bool {
        b == UInt8(ascii: "u") || (b &- UInt8(ascii: "0")) < 10 || (b &- UInt8(ascii: "a")) < 6
    }

    /// Bytes the display may produce between tokens (spacing, `:`, `,`, brackets) or in an
    /// escape: a run without them lies inside one token, as in the source.
    static func isSeparator(_ b: UInt8) -> Bool {
        b <= 0x20 || b == 0x7F || b == UInt8(ascii: ":") || b == UInt8(ascii: ",") || b == UInt8(ascii: "\\")
            || b == UInt8(ascii: "{") || b == UInt8(ascii: "}") || b == UInt8(ascii: "[") || b == UInt8(ascii: "]")
    }

    /// Whether `units` match `bytes` at `i` (bytes compared ASCII-lower-cased).
    @inline(__always)
    static func matches(_ units: ArraySlice<Unit>, _ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        var k = units.startIndex
        var p = i
        let n = bytes.count
        while k < units.endIndex {
            switch units[k] {
            case .byte(let b):
                guard p < n, JSONDocument.lower(bytes[p]) == b else { return false }
                p += 1
            case .forms(let forms):
                // Forms of one character rarely differ in length; try each with the rest.
                let rest = units[(k + 1)...]
                for form in forms where p + form.count <= n {
                    var same = true
                    for (j, b) in form.enumerated() where JSONDocument.lower(bytes[p + j]) != b {
                        same = false
                        break
                    }
                    if same && matches(rest, bytes, at: p + form.count) { return true }
                }
                return false
            }
            k += 1
        }
        return true
    }

    /// For each byte value, whether `unit` can start there (a quick test before `matches`).
    static func starts(_ unit: Unit) -> [Bool] {
        (0...255).map { value in
            let b = JSONDocument.lower(UInt8(value))
            switch unit {
            case .byte(let x): return b == x
            case .forms(let forms): return forms.contains { $0.first == b }
            }
        }
    }
}

/// One search through a document's bytes.
struct SearchScan {
    let document: JSONDocument
    let bytes: UnsafeBufferPointer<UInt8>
    let pattern: SearchPattern
    let isCancelled: () -> Bool
    var buffer: [UInt8] = []
    var checks = 0
    var cancelled = false

    init(document: JSONDocument, bytes: UnsafeBufferPointer<UInt8>, pattern: SearchPattern, isCancelled: @escaping () -> Bool) {
        self.document = document
        self.bytes = bytes
        self.pattern = pattern
        self.isCancelled = isCancelled
        buffer.reserveCapacity(256)
    }

    var lineCount: Int { document.lineOffsets.count }

    func offset(ofLine line: Int) -> Int {
        line < lineCount ? Int(document.lineOffsets[line]) : bytes.count
    }

    /// Whether the displayed line contains the whole needle.
    mutating func lineMatches(_ line: Int) -> Bool {
        checks += 1
        if checks & 1023 == 0, isCancelled() { cancelled = true }
        buffer.removeAll(keepingCapacity: true)
        document.renderDisplayed(line, into: &buffer)
        let units = pattern.units[...]
        return buffer.withUnsafeBufferPointer { shown in
            guard shown.count > 0 else { return false }
            for i in 0..<shown.count where SearchPattern.matches(units, shown, at: i) { return true }
            return false
        }
    }

    /// Renders and checks every line in search order.
    mutating func byLines(from: Int, forward: Bool) -> Int? {
        let count = lineCount
        for step in 1...count {
            let line = forward ? (from + step) % count : (from - step % count + count) % count
            if lineMatches(line) { return line }
            if cancelled { return nil }
        }
        return nil
    }

    /// Scans the source for `anchor`; checks the line of each hit.
    mutating func byAnchor(_ anchor: ArraySlice<SearchPattern.Unit>, from: Int, forward: Bool) -> Int? {
        let bytes = self.bytes
        return byHits(from: from, forward: forward, starts: SearchPattern.starts(anchor[anchor.startIndex])) { i in
            SearchPattern.matches(anchor, bytes, at: i)
        }
    }

    /// Scans the source for `structure` with whitespace allowed between its bytes; checks
    /// the line of each hit.
    mutating func byPunctuation(_ structure: [UInt8], from: Int, forward: Bool) -> Int? {
        let bytes = self.bytes
        let starts = (0...255).map { UInt8($0) == structure[0] }
        return byHits(from: from, forward: forward, starts: starts) { i in
            var p = i + 1
            for b in structure.dropFirst() {
                while p < bytes.count, bytes[p] == 0x20 || bytes[p] == 0x0A || bytes[p] == 0x0D || bytes[p] == 0x09 { p += 1 }
                guard p < bytes.count, bytes[p] == b else { return false }
                p += 1
            }
            return true
        }
    }

    /// The first line in search order holding a hit (a byte in `starts` where `hit` holds)
    /// whose rendering matches.
    mutating func byHits(from: Int, forward: Bool, starts: [Bool], hit: (Int) -> Bool) -> Int? {
        if forward {
            let split = offset(ofLine: from + 1)
            return firstLine(in: split, bytes.count, starts, hit) ?? (cancelled ? nil : firstLine(in: 0, split, starts, hit))
        }
        let split = offset(ofLine: from)
        return lastLine(in: 0, split, starts, hit) ?? (cancelled ? nil : lastLine(in: split, bytes.count, starts, hit))
    }

    /// The first matching line with a hit starting in `start..<end`.
    mutating func firstLine(in start: Int, _ end: Int, _ starts: [Bool], _ hit: (Int) -> Bool) -> Int? {
        var i = start
        var nextCheck = start + (1 << 20)
        while i < end {
            if i >= nextCheck {
                if isCancelled() { cancelled = true; return nil }
                nextCheck = i + (1 << 20)
            }
            if starts[Int(bytes[i])], hit(i) {
                let line = document.line(containingOffset: i)
                if lineMatches(line) { return line }
                if cancelled { return nil }
                i = max(i + 1, offset(ofLine: line + 1))
                continue
            }
            i += 1
        }
        return nil
    }

    /// The last matching line with a hit starting in `start..<end`.
    mutating func lastLine(in start: Int, _ end: Int, _ starts: [Bool], _ hit: (Int) -> Bool) -> Int? {
        var i = end - 1
        var nextCheck = i - (1 << 20)
        while i >= start {
            if i <= nextCheck {
                if isCancelled() { cancelled = true; return nil }
                nextCheck = i - (1 << 20)
            }
            if starts[Int(bytes[i])], hit(i) {
                let line = document.line(containingOffset: i)
                if lineMatches(line) { return line }
                if cancelled { return nil }
                i = min(i - 1, offset(ofLine: line) - 1)
                continue
            }
            i -= 1
        }
        return nil
    }
}
