import JSONKit

/// Finds, before TOMLKit sees the text, the syntax errors on which its toml++ 3.x stops the
/// process with a failed assertion instead of reporting them (found by fuzzing the config
/// loader): a table header whose first key does not start with a bare-key character or a
/// quote (`[`, `[[[a]]]`, `[=]`, `[é]`), and a `}` where an array expects a value (`x = [}]`,
/// `x = [1, }]`), and a date-time whose time is not `HH:MM` (`1980-05-27T-27`,
/// `1979-05-27T%07:30:00`). Also reports any non-ASCII character outside strings
/// and comments (TOML allows none there), with its line and column.
///
/// A lexer, not a parser: it tracks strings (basic, literal, multi-line), comments, and
/// whether a line starts inside a value (a multi-line array), which is all these checks need.
struct TOMLPreflight {
    var line: Int
    var column: Int
    var message: String

    init?(_ text: String) {
        enum Mode { case normal, comment, basic, literal, multilineBasic, multilineLiteral }
        let s = Array(text.unicodeScalars)
        var mode = Mode.normal
        var line = 1
        var lineStart = 0
        // Inside a value: after `=` on this line, or inside an array that spans lines.
        var inValue = false
        // The open `[` and `{` of the value, innermost last.
        var brackets: [Unicode.Scalar] = []
        var bracketDepth: Int { brackets.count }
        // Just after an array's `[` or a `,` in it: a value or `]` must come.
        var expectingArrayValue = false
        var sawContentOnLine = false
        var i = 0
        func triple(_ quote: Unicode.Scalar, at index: Int) -> Bool {
            index + 2 < s.count && s[index] == quote && s[index + 1] == quote && s[index + 2] == quote
        }
        func isBareKey(_ c: Unicode.Scalar) -> Bool {
            c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_" || c == "-")
        }
        func isDigit(_ index: Int) -> Bool { index < s.count && ("0"..."9").contains(s[index]) }
        // A date `YYYY-MM-DD` starting at `index`, then `T`, then anything but `HH:MM`, or
        // `HH:MM:` without two digits: the index of the first wrong character. toml++ asserts
        // a digit there and aborts the process.
        func badDateTime(at index: Int) -> Int? {
            guard index == 0 || !(isBareKey(s[index - 1]) || s[index - 1] == "."),
                (0..<4).allSatisfy({ isDigit(index + $0) }), index + 10 < s.count, s[index + 4] == "-",
                isDigit(index + 5), isDigit(index + 6), s[index + 7] == "-", isDigit(index + 8), isDigit(index + 9),
                s[index + 10] == "T" || s[index + 10] == "t"
            else { return nil }
            let time = index + 11
            for offset in [0, 1] where !isDigit(time + offset) { return time + offset }
            if time + 2 >= s.count || s[time + 2] != ":" { return time + 2 }
            for offset in [3, 4] where !isDigit(time + offset) { return time + offset }
            if time + 5 < s.count, s[time + 5] == ":" {
                for offset in [6, 7] where !isDigit(time + offset) { return time + offset }
            }
            return nil
        }
        func skipBlanks(_ index: Int) -> Int {
            var k = index
            while k < s.count, s[k] == " " || s[k] == "\t" { k += 1 }
            return k
        }
        while i < s.count {
            let c = s[i]
            if c == "\n" {
                line += 1
                lineStart = i + 1
                sawContentOnLine = false
                // A single-line string or a comment ends with its line (an unterminated
                // string is TOMLKit's error to report); so does a value outside an array.
                if mode != .multilineBasic && mode != .multilineLiteral { mode = .normal }
                if bracketDepth == 0 { inValue = false }
                i += 1
                continue
            }
            switch mode {
            case .normal:
                let first = !sawContentOnLine && c != " " && c != "\t" && c != "\r"
                if first { sawContentOnLine = true }
                if first && !inValue && c == "[" {
                    // A table header: `[` or `[[`, blanks, then a key.
                    var k = skipBlanks(i + 1)
                    if k == i + 1, k < s.count, s[k] == "[" { k = skipBlanks(k + 1) }
                    let next = k < s.count ? s[k] : nil
                    if let next, next != "]", next != "\"", next != "'", !isBareKey(next) {
                        self.line = line
                        self.column = k - lineStart + 1
                        self.message = "expected a table name after '[', found '\(Display.escape(String(next)))'"
                        return
                    }
                    if next == nil {
                        self.line = line
                        self.column = k - lineStart + 1
                        self.message = "expected a table name after '[', found the end of the file"
                        return
                    }
                    i = k
                    continue
                }
                if c != " " && c != "\t" && c != "\r" && c != "#" {
                    if expectingArrayValue && c == "}" {
                        self.line = line
                        self.column = i - lineStart + 1
                        self.message = "expected a value or ']' in the array, found '}'"
                        return
                    }
                    expectingArrayValue = false
                }
                if inValue, let column = badDateTime(at: i) {
                    self.line = line
                    self.column = column - lineStart + 1
                    self.message = "expected a time (HH:MM:SS) after the date's 'T'"
                    return
                }
                if c == "#" {
                    mode = .comment
                } else if c == "\"" {
                    if triple("\"", at: i) { mode = .multilineBasic; i += 2 } else { mode = .basic }
                } else if c == "'" {
                    if triple("'", at: i) { mode = .multilineLiteral; i += 2 } else { mode = .literal }
                } else if c == "=" && bracketDepth == 0 {
                    inValue = true
                } else if inValue && (c == "[" || c == "{") {
                    brackets.append(c)
                    expectingArrayValue = c == "["
                } else if inValue && (c == "]" || c == "}") {
                    _ = brackets.popLast()
                } else if inValue && c == "," && brackets.last == "[" {
                    expectingArrayValue = true
                } else if !c.isASCII {
                    self.line = line
                    self.column = i - lineStart + 1
                    self.message = "unexpected character '\(Display.escape(String(c)))' outside a string (a key with other than A-Z, a-z, 0-9, _ and - must be quoted)"
                    return
                }
            case .comment:
                break
            case .basic:
                if c == "\\" { i += 1 } else if c == "\"" { mode = .normal }
            case .literal:
                if c == "'" { mode = .normal }
            case .multilineBasic:
                if c == "\\" {
                    // An escaped line break continues the string: count the line.
                    if i + 1 < s.count, s[i + 1] == "\n" { line += 1; lineStart = i + 2 }
                    i += 1
                } else if triple("\"", at: i) {
                    mode = .normal
                    i += 2
                }
            case .multilineLiteral:
                if triple("'", at: i) {
                    mode = .normal
                    i += 2
                }
            }
            i += 1
        }
        return nil
    }
}
