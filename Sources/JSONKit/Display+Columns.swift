/// Cutting display text by terminal columns, for wrapping and sideways scrolling.
extension Display {
    /// Columns one grapheme takes: wide characters and emoji sequences 2, combining marks
    /// alone 0, else 1 (what a terminal gives a cluster: at most 2).
    public static func width(of character: Character) -> Int {
        var total = 0
        for scalar in character.unicodeScalars { total += width(of: scalar) }
        return min(2, total)
    }

    /// Calls `body` with each piece of escaped display text that a cut must keep whole, and its
    /// columns, until `body` returns false. A piece is one grapheme (so a wide character is
    /// never halved), or with `escapes` one backslash escape (`\n`, `\"`, `\u001b`), so that a
    /// cut never leaves half an escape that reads as other text.
    public static func forEachUnit(of text: String, escapes: Bool, _ body: (Substring, Int) -> Bool) {
        var i = text.startIndex
        let end = text.endIndex
        while i < end {
            let character = text[i]
            var next = text.index(after: i)
            var columns: Int
            if escapes, character == "\\", next < end {
                // The escaped character, and up to four hex digits after `\u`.
                let escaped = text[next]
                next = text.index(after: next)
                if escaped == "u" {
                    var digits = 0
                    while digits < 4, next < end, text[next].isHexDigit {
                        next = text.index(after: next)
                        digits += 1
                    }
                }
                columns = 0
                for c in text[i..<next] { columns += width(of: c) }
            } else {
                columns = width(of: character)
            }
            if !body(text[i..<next], columns) { return }
            i = next
        }
    }

    /// Columns `text` takes, counted no further than `limit` (a long line is not measured
    /// to its end when only its first columns can be shown).
    public static func columns(of text: String, upTo limit: Int) -> Int {
        var total = 0
        for character in text {
            if total >= limit { break }
            total += width(of: character)
        }
        return total
    }
}
