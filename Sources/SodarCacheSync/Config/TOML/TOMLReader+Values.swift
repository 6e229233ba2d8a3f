extension TOMLReader {
    // MARK: - Values

    /// The value at `pos`, for `key`, `depth` levels of tables and arrays deep; `expected`
    /// says what may stand here when nothing does.
    mutating func readValue(key: [String], depth: Int, expected: String = "a value") throws(TOMLError) -> TOMLValue {
        switch peek {
        case UInt8(ascii: "\"")?, UInt8(ascii: "'")?:
            return .string(startsTriple(at: pos) ? try readMultilineString(key: key) : try readString(key: key))
        case UInt8(ascii: "[")?:
            return try readArray(key: key, depth: depth + 1)
        case UInt8(ascii: "{")?:
            return try readInlineTable(key: key, depth: depth + 1)
        case let byte? where Self.isTokenByte(byte):
            return try readScalar(key: key)
        case let byte? where byte >= 0x80:
            throw error("expected \(expected), found \(describe(pos)) outside a string (text must be quoted)", at: pos, key: key)
        default:
            throw error("expected \(expected), found \(describe(pos))", at: pos, key: key)
        }
    }

    /// `[v, ...]`: values of any kinds, line breaks and comments between them, a trailing comma.
    private mutating func readArray(key: [String], depth: Int) throws(TOMLError) -> TOMLValue {
        let open = pos
        try checkDepth(depth, key: key)
        pos += 1
        var elements: [TOMLValue] = []
        while true {
            try skipBlanksCommentsAndLineBreaks(key: key)
            guard peek != nil else {
                throw error("expected ']' to close the array opened on line \(line(at: open)), found the end of the file", at: pos, key: key)
            }
            if peek == UInt8(ascii: "]") { break }
            elements.append(try readValue(key: key, depth: depth, expected: "a value or ']' in the array"))
            try skipBlanksCommentsAndLineBreaks(key: key)
            if peek == UInt8(ascii: ",") {
                pos += 1
            } else if peek != UInt8(ascii: "]") {
                throw error("expected ',' or ']' in the array, found \(describe(pos))", at: pos, key: key)
            }
        }
        pos += 1
        return .array(elements)
    }

    /// `{k = v, ...}`: on one line, no trailing comma (TOML 1.0), closed to later additions.
    private mutating func readInlineTable(key: [String], depth: Int) throws(TOMLError) -> TOMLValue {
        try checkDepth(depth, key: key)
        pos += 1
        let table = Node(.dotted)
        skipBlanks()
        if peek == UInt8(ascii: "}") {
            pos += 1
            return .table(table.table())
        }
        while true {
            skipBlanks()
            if peek == UInt8(ascii: "}") {
                throw error("a comma before '}' (TOML 1.0 allows none at the end of an inline table)", at: pos, key: key)
            }
            try checkOneLine(key: key)
            let start = pos
            let parts = try readKey(first: "a key in the inline table", context: key)
            guard peek == UInt8(ascii: "=") else {
                try checkOneLine(key: key + parts)
                throw error("expected '=' after the key, found \(describe(pos))", at: pos, key: key + parts)
            }
            pos += 1
            skipBlanks()
            try checkOneLine(key: key + parts)
            let value = try readValue(key: key + parts, depth: depth + parts.count)
            try insert(value, at: parts, into: table, path: key, keyStart: start)
            skipBlanks()
            if peek == UInt8(ascii: ",") {
                pos += 1
                continue
            }
            if peek == UInt8(ascii: "}") {
                pos += 1
                return .table(table.table())
            }
            try checkOneLine(key: key)
            throw error("expected ',' or '}' in the inline table, found \(describe(pos))", at: pos, key: key)
        }
    }

    /// An inline table ends on the line it starts on (TOML 1.0).
    private func checkOneLine(key: [String]) throws(TOMLError) {
        if peek == Self.lineFeed || peek == Self.carriageReturn || peek == UInt8(ascii: "#") || peek == nil {
            throw error("expected '}' to close the inline table on its line, found \(describe(pos))", at: pos, key: key)
        }
    }

    private func checkDepth(_ depth: Int, key: [String]) throws(TOMLError) {
        if depth > Self.maxDepth {
            throw error("arrays and tables nest deeper than \(Self.maxDepth) levels", at: pos, key: key)
        }
    }

    // MARK: - Booleans, numbers, dates and times

    /// A bare value: `true`, `false`, a number, a date or a time.
    private mutating func readScalar(key: [String]) throws(TOMLError) -> TOMLValue {
        let start = pos
        while let byte = peek, Self.isTokenByte(byte) { pos += 1 }
        // `1979-05-27 07:32:00`: a space may separate a date from its time.
        if pos - start == 10, looksLikeDate(at: start), peek == UInt8(ascii: " "), isDigit(at: pos + 1),
            isDigit(at: pos + 2), byte(at: pos + 3) == UInt8(ascii: ":")
        {
            pos += 1
            while let byte = peek, Self.isTokenByte(byte) { pos += 1 }
        }
        let token = bytes[start..<pos]
        if token.elementsEqual("true".utf8) { return .boolean(true) }
        if token.elementsEqual("false".utf8) { return .boolean(false) }
        if looksLikeDate(at: start) || (isDigit(at: start) && isDigit(at: start + 1) && byte(at: start + 2) == UInt8(ascii: ":")) {
            return .dateTime(try readDateTime(start, pos, key: key))
        }
        return try readNumber(start, pos, key: key)
    }

    /// Four digits and a `-`.
    private func looksLikeDate(at offset: Int) -> Bool {
        (0..<4).allSatisfy { isDigit(at: offset + $0) } && byte(at: offset + 4) == UInt8(ascii: "-")
    }

    /// An integer (decimal, `0x`, `0o`, `0b`) or a float (`inf` and `nan` too) in `start..<end`.
    private func readNumber(_ start: Int, _ end: Int, key: [String]) throws(TOMLError) -> TOMLValue {
        var index = start
        if bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
        let signed = index > start
        let unsigned = bytes[index..<end]
        if unsigned.elementsEqual("inf".utf8) { return .float(bytes[start] == UInt8(ascii: "-") ? -.infinity : .infinity) }
        if unsigned.elementsEqual("nan".utf8) { return .float(.nan) }
        guard isDigit(at: index), index < end else {
            if !signed, let first = byte(at: start), first >= UInt8(ascii: "A") {
                throw error("expected a value, found \(describe(start)) (text must be quoted)", at: start, key: key)
            }
            throw error("expected a digit, found \(describe(index))", at: index, key: key)
        }
        if bytes[index] == UInt8(ascii: "0"), let prefix = byte(at: index + 1),
            let (radix, name) = [UInt8(ascii: "x"): (16, "a hexadecimal"), UInt8(ascii: "o"): (8, "an octal"), UInt8(ascii: "b"): (2, "a binary")][prefix],
            index + 1 < end
        {
            if signed { throw error("\(name) integer cannot have a sign", at: start, key: key) }
            let digitsEnd = try digits(from: index + 2, to: end, radix: radix, key: key)
            if digitsEnd < end { throw error("expected \(name) digit, found \(describe(digitsEnd))", at: digitsEnd, key: key) }
            let text = String(decoding: bytes[(index + 2)..<end].filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
            guard let magnitude = UInt64(text, radix: radix), let value = Int(exactly: magnitude) else {
                throw error("an integer out of the 64-bit range", at: start, key: key)
            }
            return .integer(value)
        }
        let integerEnd = try digits(from: index, to: end, radix: 10, key: key)
        if bytes[index] == UInt8(ascii: "0"), integerEnd > index + 1 {
            throw error("a leading zero in a number", at: index, key: key)
        }
        var cursor = integerEnd
        var isFloat = false
        if byte(at: cursor) == UInt8(ascii: "."), cursor < end {
            isFloat = true
            cursor = try digits(from: cursor + 1, to: end, radix: 10, key: key, after: "'.'")
        }
        if cursor < end, bytes[cursor] | 0x20 == UInt8(ascii: "e") {
            isFloat = true
            cursor += 1
            if cursor < end, bytes[cursor] == UInt8(ascii: "+") || bytes[cursor] == UInt8(ascii: "-") { cursor += 1 }
            cursor = try digits(from: cursor, to: end, radix: 10, key: key, after: "the exponent's 'e'")
        }
        if cursor < end { throw error("expected a digit, found \(describe(cursor))", at: cursor, key: key) }
        let text = String(decoding: bytes[start..<end].filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
        if isFloat {
            guard let value = Double(text), value.isFinite else {
                throw error("a float out of the 64-bit range", at: start, key: key)
            }
            return .float(value)
        }
        guard let value = Int(text) else { throw error("an integer out of the 64-bit range", at: start, key: key) }
        return .integer(value)
    }

    /// The end of the digits starting at `from` (a digit must be there); a `_` stands between two.
    private func digits(
        from start: Int, to end: Int, radix: Int, key: [String], after what: String? = nil
    ) throws(TOMLError) -> Int {
        guard start < end, Self.isDigit(bytes[start], radix: radix) else {
            let place = what.map { " after \($0)" } ?? ""
            throw error("expected a digit\(place), found \(describe(start < end ? start : end))", at: min(start, end), key: key)
        }
        var index = start + 1
        while index < end {
            if Self.isDigit(bytes[index], radix: radix) {
                index += 1
            } else if bytes[index] == UInt8(ascii: "_") {
                guard index + 1 < end, Self.isDigit(bytes[index + 1], radix: radix) else {
                    throw error("a '_' in a number must stand between two digits", at: index, key: key)
                }
                index += 1
            } else {
                break
            }
        }
        return index
    }

    /// `1979-05-27T07:32:00.5-07:00`, `1979-05-27 07:32:00`, `1979-05-27`, `07:32:00`.
    private func readDateTime(_ start: Int, _ end: Int, key: [String]) throws(TOMLError) -> TOMLDateTime {
        var value = TOMLDateTime()
        var index = start
        if looksLikeDate(at: start) {
            let year = try number(at: start, 4, end, "a date (YYYY-MM-DD)", key)
            let month = try number(at: start + 5, 2, end, "a two-digit month", key)
            try expect(UInt8(ascii: "-"), at: start + 7, end, "'-' after the month", key)
            let day = try number(at: start + 8, 2, end, "a two-digit day", key)
            guard (1...12).contains(month) else { throw error("month \(month) does not exist", at: start + 5, key: key) }
            guard day >= 1, day <= Self.days(inMonth: month, year: year) else {
                throw error("day \(day) does not exist in month \(month) of \(year)", at: start + 8, key: key)
            }
            value.date = TOMLDateTime.LocalDate(year: year, month: month, day: day)
            index = start + 10
            if index == end { return value }
            guard bytes[index] | 0x20 == UInt8(ascii: "t") || bytes[index] == UInt8(ascii: " ") else {
                throw error("expected 'T' and a time after the date, found \(describe(index))", at: index, key: key)
            }
            index += 1
            value.time = try readTime(&index, end, "a time (HH:MM:SS) after the date's 'T'", key)
            if index == end { return value }
            if bytes[index] | 0x20 == UInt8(ascii: "z") {
                value.offsetMinutes = 0
                index += 1
            } else if bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                let what = "an offset (+HH:MM or -HH:MM)"
                let hours = try number(at: index + 1, 2, end, what, key)
                try expect(UInt8(ascii: ":"), at: index + 3, end, what, key)
                let minutes = try number(at: index + 4, 2, end, what, key)
                guard hours <= 23, minutes <= 59 else {
                    let written = String(decoding: bytes[index..<(index + 6)], as: UTF8.self)
                    throw error("offset \(written) out of range", at: index, key: key)
                }
                value.offsetMinutes = (hours * 60 + minutes) * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
                index += 6
            } else {
                throw error("expected 'Z', an offset (+HH:MM) or the end of the date-time, found \(describe(index))", at: index, key: key)
            }
        } else {
            value.time = try readTime(&index, end, "a time (HH:MM:SS)", key)
        }
        if index < end { throw error("expected the end of the date-time, found \(describe(index))", at: index, key: key) }
        return value
    }

    /// `HH:MM:SS` and maybe `.digits`, from `index` (moved past it).
    private func readTime(_ index: inout Int, _ end: Int, _ what: String, _ key: [String]) throws(TOMLError) -> TOMLDateTime.LocalTime {
        let start = index
        let hour = try number(at: start, 2, end, what, key)
        try expect(UInt8(ascii: ":"), at: start + 2, end, what, key)
        let minute = try number(at: start + 3, 2, end, what, key)
        try expect(UInt8(ascii: ":"), at: start + 5, end, what, key)
        let second = try number(at: start + 6, 2, end, what, key)
        guard hour <= 23 else { throw error("hour \(hour) does not exist", at: start, key: key) }
        guard minute <= 59 else { throw error("minute \(minute) does not exist", at: start + 3, key: key) }
        guard second <= 60 else { throw error("second \(second) does not exist", at: start + 6, key: key) }
        index = start + 8
        var fraction = ""
        if index < end, bytes[index] == UInt8(ascii: ".") {
            var cursor = index + 1
            while cursor < end, isDigit(at: cursor) { cursor += 1 }
            guard cursor > index + 1 else {
                throw error("expected a digit after the seconds' '.', found \(describe(cursor))", at: cursor, key: key)
            }
            fraction = String(decoding: bytes[(index + 1)..<cursor], as: UTF8.self)
            index = cursor
        }
        return TOMLDateTime.LocalTime(hour: hour, minute: minute, second: second, fraction: fraction)
    }

    /// `count` digits at `start`, before `end`, as a number; else an error at the first that is not.
    private func number(at start: Int, _ count: Int, _ end: Int, _ what: String, _ key: [String]) throws(TOMLError) -> Int {
        var value = 0
        for offset in start..<(start + count) {
            guard offset < end, isDigit(at: offset) else {
                throw error("expected \(what), found \(describe(offset))", at: offset, key: key)
            }
            value = value * 10 + Int(bytes[offset] - UInt8(ascii: "0"))
        }
        return value
    }

    private func expect(_ byte: UInt8, at offset: Int, _ end: Int, _ what: String, _ key: [String]) throws(TOMLError) {
        guard offset < end, bytes[offset] == byte else {
            throw error("expected \(what), found \(describe(offset))", at: offset, key: key)
        }
    }

    static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // MARK: - Bytes

    func isDigit(at offset: Int) -> Bool {
        guard let byte = byte(at: offset) else { return false }
        return Self.isDigit(byte, radix: 10)
    }

    static func isDigit(_ byte: UInt8, radix: Int) -> Bool {
        switch radix {
        case 16:
            return (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte | 0x20)
        default:
            return byte >= UInt8(ascii: "0") && Int(byte) - Int(UInt8(ascii: "0")) < radix
        }
    }

    /// The characters of a bare value: letters, digits, `_`, `+`, `-`, `.`, `:`.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        isBareKeyByte(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":")
    }
}
