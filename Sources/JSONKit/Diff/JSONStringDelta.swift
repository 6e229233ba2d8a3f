/// How one string became another: the common text trimmed from both ends, with `context`
/// characters of it kept on each side of the part that changed.
public struct JSONStringDelta: Hashable, Sendable {
    /// Common text just before the change.
    public var before: String
    /// What the old string had in place of `inserted`.
    public var removed: String
    /// What the new string has in place of `removed`.
    public var inserted: String
    /// Common text just after the change.
    public var after: String
    /// More common text precedes `before`.
    public var isCutBefore: Bool
    /// More common text follows `after`.
    public var isCutAfter: Bool

    /// The delta of two strings, cut at Unicode scalar boundaries.
    public init(old: String, new: String, context: Int = 24) {
        let a = Array(old.utf8)
        let b = Array(new.utf8)
        var prefix = 0
        while prefix < a.count && prefix < b.count && a[prefix] == b[prefix] { prefix += 1 }
        // Back to the start of a character.
        while prefix > 0 && prefix < a.count && a[prefix] & 0xC0 == 0x80 { prefix -= 1 }
        while prefix > 0 && prefix < b.count && b[prefix] & 0xC0 == 0x80 { prefix -= 1 }
        var suffix = 0
        while suffix < a.count - prefix && suffix < b.count - prefix && a[a.count - 1 - suffix] == b[b.count - 1 - suffix] {
            suffix += 1
        }
        // Forward to the start of a character.
        while suffix > 0 && a[a.count - suffix] & 0xC0 == 0x80 { suffix -= 1 }
        let contextStart = Self.back(a, from: prefix, scalars: max(0, context))
        let contextEnd = Self.forward(a, from: a.count - suffix, scalars: max(0, context))
        before = String(decoding: a[contextStart..<prefix], as: UTF8.self)
        removed = String(decoding: a[prefix..<(a.count - suffix)], as: UTF8.self)
        inserted = String(decoding: b[prefix..<(b.count - suffix)], as: UTF8.self)
        after = String(decoding: a[(a.count - suffix)..<contextEnd], as: UTF8.self)
        isCutBefore = contextStart > 0
        isCutAfter = contextEnd < a.count
    }

    /// One side as a JSON string literal, in three pieces: the text up to the change (`"…`
    /// and the common text before it), the changed part (cut after `maxChanged` characters
    /// with `…`), and the rest. Escaped as JSON escapes it and safe for a terminal.
    public func shown(old isOld: Bool, maxChanged: Int = 200) -> (lead: String, changed: String, trail: String) {
        let part = isOld ? removed : inserted
        var changed = Self.escaped(String(part.unicodeScalars.prefix(max(0, maxChanged))))
        if part.unicodeScalars.count > maxChanged { changed += "…" }
        let lead = "\"" + (isCutBefore ? "…" : "") + Self.escaped(before)
        let trail = Self.escaped(after) + (isCutAfter ? "…" : "") + "\""
        return (lead, changed, trail)
    }

    /// The text as it stands between a JSON string's quotes, safe for a terminal.
    static func escaped(_ text: String) -> String {
        Display.escape(String(JSON.quote(text).dropFirst().dropLast()))
    }

    private static func back(_ bytes: [UInt8], from index: Int, scalars: Int) -> Int {
        var i = index
        var left = scalars
        while i > 0 && left > 0 {
            i -= 1
            while i > 0 && bytes[i] & 0xC0 == 0x80 { i -= 1 }
            left -= 1
        }
        return i
    }

    private static func forward(_ bytes: [UInt8], from index: Int, scalars: Int) -> Int {
        var i = index
        var left = scalars
        while i < bytes.count && left > 0 {
            i += 1
            while i < bytes.count && bytes[i] & 0xC0 == 0x80 { i += 1 }
            left -= 1
        }
        return i
    }
}
