import JSONKit

/// TOML 1.0 over UTF-8 bytes: the document's structure (lines, headers, keys and which
/// tables may still be added to). Values are in `TOMLReader+Values.swift`, strings in
/// `TOMLReader+Strings.swift`.
///
/// One pass, one byte of look-ahead mostly; it never traps on any input: indices are checked,
/// integers are read with overflow checks, nesting is limited (`maxDepth`) so that recursion
/// stays shallow. Every error is a `TOMLError` with the line, column and key.
struct TOMLReader {
    /// Arrays, inline tables and keys nest at most this deep; a few thousand `[` would only
    /// exhaust the stack.
    static let maxDepth = 100

    let bytes: [UInt8]
    /// The offset being read.
    var pos = 0
    /// Where each line starts (the line of a key is looked up, not counted along).
    private let lineStarts: [Int]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == Self.lineFeed { starts.append(offset + 1) }
        lineStarts = starts
    }

    /// Reads the whole document.
    mutating func read() throws(TOMLError) -> TOMLTable {
        let root = Node(.header)
        var table = root
        var tablePath: [String] = []
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { pos = 3 }
        while true {
            skipBlanks()
            guard let byte = peek else { break }
            var key: [String]? = nil
            var what = "the comment"
            switch byte {
            case UInt8(ascii: "#"), Self.lineFeed, Self.carriageReturn:
                break
            case UInt8(ascii: "["):
                (table, tablePath) = try readHeader(root)
                key = tablePath
                what = "the table name"
            default:
                key = try readKeyValue(into: table, path: tablePath)
                what = "the value"
            }
            try endLine(after: what, key: key)
        }
        return root.table()
    }

    // MARK: - Tables as they are built

    /// A table while the document is read: how it came to be decides what may still add to it.
    final class Node {
        enum Origin {
            /// Made by a deeper header (`[a.b]` makes `a`): a header of its own may still define it.
            case implicit
            /// Defined by its header (or the root): no second header.
            case header
            /// Made by a dotted key (`a.b = 1` makes `a`): more dotted keys in the same table may
            /// add to it, a header may not define it.
            case dotted
        }

        enum Kind {
            /// A value, inline tables and static arrays included: closed to every addition.
            case value(TOMLValue)
            case table(Node)
            /// An array of tables (`[[name]]`): later headers add to its last element.
            case tables([Node])
        }

        struct Slot {
            var kind: Kind
            var line: Int
        }

        var origin: Origin
        private(set) var keys: [String] = []
        var slots: [String: Slot] = [:]

        init(_ origin: Origin) { self.origin = origin }

        func add(_ key: String, _ kind: Kind, line: Int) {
            keys.append(key)
            slots[key] = Slot(kind: kind, line: line)
        }

        /// Adds a new table under `key` and returns it.
        func addTable(_ key: String, _ origin: Origin, line: Int) -> Node {
            let table = Node(origin)
            add(key, .table(table), line: line)
            return table
        }

        /// The finished table (recursion as deep as the nesting, which `maxDepth` bounds).
        func table() -> TOMLTable {
            var table = TOMLTable()
            for key in keys {
                guard let slot = slots[key] else { continue }
                switch slot.kind {
                case .value(let value): table.append(key, value, line: slot.line)
                case .table(let node): table.append(key, .table(node.table()), line: slot.line)
                case .tables(let nodes): table.append(key, .array(nodes.map { .table($0.table()) }), line: slot.line)
                }
            }
            return table
        }
    }

    // MARK: - Headers and keys

    /// `[a.b]` or `[[a.b]]`: the table it opens and its path.
    private mutating func readHeader(_ root: Node) throws(TOMLError) -> (Node, [String]) {
        let start = pos
        pos += 1
        let isArray = peek == UInt8(ascii: "[")
        if isArray { pos += 1 }
        let path = try readKey(first: "a table name after '['", context: [])
        let closing = isArray ? "]]" : "]"
        guard peek == UInt8(ascii: "]"), !isArray || byte(at: pos + 1) == UInt8(ascii: "]") else {
            // `[[a] ]`: the second bracket is what is missing.
            let at = peek == UInt8(ascii: "]") ? pos + 1 : pos
            throw error("expected '\(closing)' to close the table name, found \(describe(at))", at: at, key: path)
        }
        pos += closing.utf8.count
        let line = line(at: start)
        var node = root
        for index in path.indices.dropLast() {
            let part = path[index]
            guard let slot = node.slots[part] else {
                node = node.addTable(part, .implicit, line: line)
                continue
            }
            switch slot.kind {
            case .table(let inner):
                node = inner
            case .tables(let elements):
                guard let last = elements.last else { throw error("an empty array of tables", at: start, key: path) }
                node = last
            case .value(let value):
                throw error(
                    "\(Self.kindName(value)) (line \(slot.line)), not a table: [\(TOMLError.keyText(path))] cannot add to it",
                    at: start, key: Array(path[...index]))
            }
        }
        let last = path[path.count - 1]
        if isArray {
            let element = Node(.header)
            if let slot = node.slots[last] {
                guard case .tables(let elements) = slot.kind else {
                    throw error("\(Self.kindName(slot.kind)) (line \(slot.line)), not an array of tables", at: start, key: path)
                }
                node.slots[last]?.kind = .tables(elements + [element])
            } else {
                node.add(last, .tables([element]), line: line)
            }
            return (element, path)
        }
        guard let slot = node.slots[last] else { return (node.addTable(last, .header, line: line), path) }
        switch slot.kind {
        case .table(let inner) where inner.origin == .implicit:
            // Defined now, after a deeper header implied it: errors name this header's line.
            inner.origin = .header
            node.slots[last]?.line = line
            return (inner, path)
        case .table(let inner) where inner.origin == .dotted:
            throw error("a table defined by dotted keys (line \(slot.line)): a header cannot define it again", at: start, key: path)
        case .table:
            throw error("a table defined twice (first on line \(slot.line))", at: start, key: path)
        case .tables, .value:
            throw error("\(Self.kindName(slot.kind)) (line \(slot.line)), not a table", at: start, key: path)
        }
    }

    /// `key = value` into `table` (whose path is `path`): the value's full key path.
    private mutating func readKeyValue(into table: Node, path: [String]) throws(TOMLError) -> [String] {
        let start = pos
        let parts = try readKey(first: "a key", context: path)
        let key = path + parts
        guard peek == UInt8(ascii: "=") else {
            throw error("expected '=' after the key, found \(describe(pos))", at: pos, key: key)
        }
        pos += 1
        skipBlanks()
        let value = try readValue(key: key, depth: key.count)
        try insert(value, at: parts, into: table, path: path, keyStart: start)
        return key
    }

    /// Adds a value under a dotted key: the tables on its way are made, or must have been made
    /// by dotted keys; the last key must be new.
    mutating func insert(
        _ value: TOMLValue, at parts: [String], into table: Node, path: [String], keyStart: Int
    ) throws(TOMLError) {
        let line = line(at: keyStart)
        var node = table
        var walked = path
        for part in parts.dropLast() {
            walked.append(part)
            guard let slot = node.slots[part] else {
                node = node.addTable(part, .dotted, line: line)
                continue
            }
            switch slot.kind {
            case .table(let inner) where inner.origin == .dotted:
                node = inner
            case .table:
                throw error("a table with its own header (line \(slot.line)): dotted keys cannot add to it", at: keyStart, key: walked)
            case .tables, .value:
                throw error("\(Self.kindName(slot.kind)) (line \(slot.line)), not a table: dotted keys cannot add to it", at: keyStart, key: walked)
            }
        }
        let last = parts[parts.count - 1]
        walked.append(last)
        if let slot = node.slots[last] {
            throw error("defined twice (first on line \(slot.line))", at: keyStart, key: walked)
        }
        node.add(last, .value(value), line: line)
    }

    /// A key: simple keys joined by dots, blanks around them skipped; `first` names what the
    /// first one is for the message, `context` is the path the key is under.
    mutating func readKey(first: String, context: [String]) throws(TOMLError) -> [String] {
        var parts: [String] = []
        while true {
            skipBlanks()
            let what = parts.isEmpty ? first : "a key after '.'"
            let errorKey = context + parts
            parts.append(try readSimpleKey(what, key: errorKey.isEmpty ? nil : errorKey))
            if context.count + parts.count > Self.maxDepth {
                throw error("keys nest deeper than \(Self.maxDepth) levels", at: pos, key: context + parts)
            }
            skipBlanks()
            guard peek == UInt8(ascii: ".") else { return parts }
            pos += 1
        }
    }

    /// A bare or quoted key.
    private mutating func readSimpleKey(_ what: String, key: [String]?) throws(TOMLError) -> String {
        switch peek {
        case UInt8(ascii: "\"")?, UInt8(ascii: "'")?:
            if startsTriple(at: pos) {
                throw error("expected \(what), found a multi-line string (a key is one line)", at: pos, key: key)
            }
            return try readString(key: key)
        default:
            let start = pos
            while let byte = peek, Self.isBareKeyByte(byte) { pos += 1 }
            guard pos == start else { return String(decoding: bytes[start..<pos], as: UTF8.self) }
            let hint = (peek ?? 0) >= 0x80 ? " (a key with other than A-Z, a-z, 0-9, _ and - must be quoted)" : ""
            throw error("expected \(what), found \(describe(pos))\(hint)", at: pos, key: key)
        }
    }

    // MARK: - Lines, blanks and comments

    /// After a line's content: blanks, maybe a comment, then a line break or the end.
    private mutating func endLine(after what: String, key: [String]?) throws(TOMLError) {
        // A comment or line end that is wrong names the key of its line.
        skipBlanks()
        if peek == UInt8(ascii: "#") { try skipComment(key: key) }
        guard let byte = peek else { return }
        if byte == Self.lineFeed || byte == Self.carriageReturn {
            try skipLineBreak(key: key)
            return
        }
        throw error("expected the end of the line after \(what), found \(describe(pos))", at: pos, key: key)
    }

    /// A line feed, or a carriage return with its line feed.
    mutating func skipLineBreak(key: [String]? = nil) throws(TOMLError) {
        if peek == Self.carriageReturn {
            guard byte(at: pos + 1) == Self.lineFeed else {
                throw error("a carriage return without a line feed after it", at: pos, key: key)
            }
            pos += 1
        }
        pos += 1
    }

    mutating func skipBlanks() {
        while let byte = peek, byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { pos += 1 }
    }

    /// Blanks, comments and line breaks, as between the values of an array.
    mutating func skipBlanksCommentsAndLineBreaks(key: [String]) throws(TOMLError) {
        while true {
            skipBlanks()
            switch peek {
            case UInt8(ascii: "#")?: try skipComment(key: key)
            case Self.lineFeed?, Self.carriageReturn?: try skipLineBreak(key: key)
            default: return
            }
        }
    }

    /// A comment up to its line break, which stays: tabs and any character but controls.
    mutating func skipComment(key: [String]? = nil) throws(TOMLError) {
        pos += 1
        while let byte = peek, byte != Self.lineFeed, byte != Self.carriageReturn {
            if byte >= 0x80 {
                _ = try scalar(at: pos, key: key)
            } else if Self.isControl(byte) {
                throw error("\(describe(pos)) in a comment", at: pos, key: key)
            } else {
                pos += 1
            }
        }
    }

    // MARK: - Bytes

    static let lineFeed: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D

    var peek: UInt8? { pos < bytes.count ? bytes[pos] : nil }

    func byte(at offset: Int) -> UInt8? { offset >= 0 && offset < bytes.count ? bytes[offset] : nil }

    /// `"""` or `'''` (whichever quote is at `offset`) starts at `offset`.
    func startsTriple(at offset: Int) -> Bool {
        guard let quote = byte(at: offset) else { return false }
        return byte(at: offset + 1) == quote && byte(at: offset + 2) == quote
    }

    /// A-Z, a-z, 0-9, `_` and `-`: the characters of a bare key.
    static func isBareKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }

    /// C0 controls but tab, and DEL: never allowed raw in TOML.
    static func isControl(_ byte: UInt8) -> Bool {
        (byte < 0x20 && byte != UInt8(ascii: "\t")) || byte == 0x7F
    }

    // MARK: - Errors

    /// The 1-based line of `offset`.
    func line(at offset: Int) -> Int {
        var low = 0
        var high = lineStarts.count
        while low < high {
            let mid = (low + high) / 2
            if lineStarts[mid] <= offset { low = mid + 1 } else { high = mid }
        }
        return max(1, low)
    }

    /// The error at `offset` (its line and column worked out) about `key`.
    func error(_ message: String, at offset: Int, key: [String]? = nil) -> TOMLError {
        let line = line(at: offset)
        var column = 1
        var index = lineStarts[line - 1]
        while index < min(offset, bytes.count) {
            if bytes[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        return TOMLError(line: line, column: column, key: key, message: message)
    }

    /// How the character at `offset` is named in a message: `'x'`, `a line break`, `control
    /// character \u0007`, `invalid UTF-8 byte 0xff`, `the end of the file`.
    func describe(_ offset: Int) -> String {
        guard let byte = byte(at: offset) else { return "the end of the file" }
        switch byte {
        case Self.lineFeed: return "a line break"
        case Self.carriageReturn: return "a carriage return"
        case 0x20..<0x7F: return "'\(Character(Unicode.Scalar(byte)))'"
        case 0..<0x80: return "control character \(Display.visibleEscape(Unicode.Scalar(byte)))"
        default:
            guard let (scalar, _) = decodeScalar(at: offset) else { return "invalid UTF-8 byte 0x\(String(byte, radix: 16))" }
            return Display.isUnsafe(scalar) ? "character \(Display.visibleEscape(scalar))" : "'\(Character(scalar))'"
        }
    }

    /// What a slot holds, for messages: "an integer", "an inline table", "an array of tables".
    static func kindName(_ kind: Node.Kind) -> String {
        switch kind {
        case .value(let value): return kindName(value)
        case .table: return "a table"
        case .tables: return "an array of tables"
        }
    }

    /// A value's kind as a message names it: a table among values is an inline one.
    static func kindName(_ value: TOMLValue) -> String {
        if case .table = value { return "an inline table" }
        return value.kindName
    }
}
