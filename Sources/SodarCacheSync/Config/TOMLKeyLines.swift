import Foundation

/// Finds the line a TOML key is written on, so semantic errors (wrong type, unknown key) can
/// name it: TOMLKit reports positions only for syntax errors.
///
/// A line scanner, not a parser: it follows `[table]` headers and `key = value` lines, which
/// is how config files are written; keys it cannot place fall back to their table's line.
struct TOMLKeyLines {
    /// (full key path, 1-based line) in file order.
    private var entries: [([String], Int)] = []

    init(_ text: String) {
        var table: [String] = []
        var lineNumber = 0
        var inMultiline: String? = nil
        // "\r\n" is one Character in Swift, not "\n": a CR LF line end must split too, or the
        // line after it is never seen (a header there gave errors without a line).
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if let delimiter = inMultiline {
                if line.contains(delimiter) { inMultiline = nil }
                continue
            }
            if line.hasPrefix("[[") {
                if let path = Self.keyPath(Self.headerKey(line.dropFirst(2))) {
                    table = path
                    entries.append((path, lineNumber))
                }
            } else if line.hasPrefix("[") {
                if let path = Self.keyPath(Self.headerKey(line.dropFirst())) {
                    table = path
                    entries.append((path, lineNumber))
                }
            } else if let eq = Self.assignment(line) {
                if let path = Self.keyPath(line[..<eq]) {
                    entries.append((table + path, lineNumber))
                }
                let value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
                for delimiter in ["\"\"\"", "'''"] where value.hasPrefix(delimiter) {
                    if !value.dropFirst(3).contains(delimiter) { inMultiline = delimiter }
                }
            }
        }
    }

    /// The line of `path`, or of its nearest enclosing table that is written out, or nil.
    func line(of path: [String]) -> Int? {
        var prefix = path
        while !prefix.isEmpty {
            if let hit = entries.first(where: { $0.0 == prefix }) { return hit.1 }
            // A table only implied by a deeper one (`[a.b]` makes `a`): where it first shows.
            if let hit = entries.first(where: { $0.0.starts(with: prefix) }) { return hit.1 }
            prefix.removeLast()
        }
        return nil
    }

    /// The key of a table header, up to its closing `]` outside quotes (`['a]b']` is one key).
    static func headerKey(_ text: Substring) -> Substring {
        var quote: Character? = nil
        var escaped = false
        for index in text.indices {
            let c = text[index]
            if let q = quote {
                if escaped {
                    escaped = false
                } else if q == "\"" && c == "\\" {
                    escaped = true
                } else if c == q {
                    quote = nil
                }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "]" {
                return text[..<index]
            }
        }
        return text
    }

    /// The index of the `=` of a `key = value` line (outside quoted key parts).
    private static func assignment(_ line: String) -> String.Index? {
        var quote: Character? = nil
        var index = line.startIndex
        while index < line.endIndex {
            let c = line[index]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "=" {
                return index
            } else if c == "#" {
                return nil
            }
            index = line.index(after: index)
        }
        return nil
    }

    /// Splits a dotted key (`apps."my.app".timeout`) into its parts.
    static func keyPath<S: StringProtocol>(_ text: S) -> [String]? {
        var parts: [String] = []
        var current = ""
        var quote: Character? = nil
        var sawPart = false
        /// The part is quoted: its text is kept as written, spaces at its ends too (as
        /// TOMLKit reports it); only spaces around the quotes go.
        var quoted = false
        var escaped = false
        var unicodeEscape: String? = nil
        var unicodeLength = 4
        for c in text {
            if let q = quote {
                if let digits = unicodeEscape {
                    // `\uXXXX` / `\UXXXXXXXX`: the key TOMLKit reports has the character.
                    unicodeEscape = digits + String(c)
                    if unicodeEscape!.count == unicodeLength {
                        if let value = UInt32(unicodeEscape!, radix: 16), let scalar = Unicode.Scalar(value) {
                            current.unicodeScalars.append(scalar)
                        }
                        unicodeEscape = nil
                    }
                } else if escaped {
                    switch c {
                    case "u": unicodeEscape = ""; unicodeLength = 4
                    case "U": unicodeEscape = ""; unicodeLength = 8
                    case "t": current.append("\t")
                    case "n": current.append("\n")
                    case "r": current.append("\r")
                    case "b": current.append("\u{8}")
                    case "f": current.append("\u{C}")
                    case "e": current.append("\u{1B}")
                    default: current.append(c)
                    }
                    escaped = false
                } else if q == "\"" && c == "\\" {
                    escaped = true
                } else if c == q {
                    quote = nil
                } else {
                    current.append(c)
                }
            } else if c == "\"" || c == "'" {
                if !quoted { current = "" }
                quote = c
                quoted = true
                sawPart = true
            } else if c == "." {
                parts.append(quoted ? current : current.trimmingCharacters(in: .whitespaces))
                current = ""
                sawPart = false
                quoted = false
            } else if !(quoted && c.isWhitespace) {
                current.append(c)
                if !c.isWhitespace { sawPart = true }
            }
        }
        guard sawPart || !current.isEmpty else { return nil }
        parts.append(quoted ? current : current.trimmingCharacters(in: .whitespaces))
        return parts
    }
}
