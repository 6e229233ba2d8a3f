extension TOMLReader {
    // MARK: - Strings

    /// `"..."` (escapes) or `'...'` (as written), at `pos`: one line, no control character but tab.
    mutating func readString(key: [String]?) throws(TOMLError) -> String {
        let open = pos
        let quote = bytes[pos]
        let escapes = quote == UInt8(ascii: "\"")
        pos += 1
        var text: [UInt8] = []
        while true {
            guard let byte = peek else { throw unclosed("string", at: open, key: key) }
            switch byte {
            case quote:
                pos += 1
                return String(decoding: text, as: UTF8.self)
            case UInt8(ascii: "\\") where escapes:
                try readEscape(into: &text, key: key)
            case Self.lineFeed, Self.carriageReturn:
                let (closing, multiline) = escapes ? ("'\"'", "\"\"\"") : ("\"'\"", "'''")
                throw error(
                    "expected \(closing) to close the string on its line, found \(describe(pos)) (\(multiline) starts a multi-line string)",
                    at: pos, key: key)
            default:
                try copyCharacter(into: &text, key: key)
            }
        }
    }

    /// `"""..."""` (escapes) or `'''...'''` (as written), at `pos`: line breaks too, but not one
    /// right after the opening quotes; in the first kind a backslash at a line's end joins the
    /// next non-blank text.
    mutating func readMultilineString(key: [String]) throws(TOMLError) -> String {
        let open = pos
        let quote = bytes[pos]
        let escapes = quote == UInt8(ascii: "\"")
        pos += 3
        try skipFirstLineBreak(key: key)
        var text: [UInt8] = []
        while true {
            guard let byte = peek else { throw unclosed("multi-line string", at: open, key: key) }
            switch byte {
            case quote:
                if try readQuotes(quote, into: &text, key: key) { return String(decoding: text, as: UTF8.self) }
            case UInt8(ascii: "\\") where escapes:
                var after = pos + 1
                while let blank = self.byte(at: after), blank == UInt8(ascii: " ") || blank == UInt8(ascii: "\t") { after += 1 }
                if self.byte(at: after) == Self.lineFeed || self.byte(at: after) == Self.carriageReturn {
                    pos = after
                    try skipBlanksAndLineBreaks(key: key)
                } else {
                    try readEscape(into: &text, key: key)
                }
            case Self.lineFeed, Self.carriageReturn:
                try skipLineBreak(key: key)
                text.append(Self.lineFeed)
            default:
                try copyCharacter(into: &text, key: key)
            }
        }
    }

    /// A run of `quote`s in a multi-line string: fewer than three are text; three to five end
    /// it, the first one or two being its last characters. True when the string ended.
    private mutating func readQuotes(_ quote: UInt8, into text: inout [UInt8], key: [String]) throws(TOMLError) -> Bool {
        var count = 0
        while byte(at: pos + count) == quote { count += 1 }
        if count < 3 {
            text.append(contentsOf: repeatElement(quote, count: count))
            pos += count
            return false
        }
        if count > 5 {
            throw error("\(count) quotes in a row: a multi-line string ends with at most five", at: pos + 5, key: key)
        }
        text.append(contentsOf: repeatElement(quote, count: count - 3))
        pos += count
        return true
    }

    private mutating func skipFirstLineBreak(key: [String]) throws(TOMLError) {
        if peek == Self.lineFeed || peek == Self.carriageReturn { try skipLineBreak(key: key) }
    }

    private mutating func skipBlanksAndLineBreaks(key: [String]) throws(TOMLError) {
        while let byte = peek {
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                pos += 1
            } else if byte == Self.lineFeed || byte == Self.carriageReturn {
                try skipLineBreak(key: key)
            } else {
                return
            }
        }
    }

    /// `\b \t \n \f \r \" \\ \uXXXX \UXXXXXXXX`, at `pos`.
    private mutating func readEscape(into text: inout [UInt8], key: [String]?) throws(TOMLError) {
        let start = pos
        guard let letter = byte(at: pos + 1) else { throw unclosed("string", at: start, key: key) }
        let simple: [UInt8: UInt8] = [
            UInt8(ascii: "b"): 0x08, UInt8(ascii: "t"): 0x09, UInt8(ascii: "n"): 0x0A, UInt8(ascii: "f"): 0x0C,
            UInt8(ascii: "r"): 0x0D, UInt8(ascii: "\""): UInt8(ascii: "\""), UInt8(ascii: "\\"): UInt8(ascii: "\\"),
        ]
        if let byte = simple[letter] {
            text.append(byte)
            pos += 2
            return
        }
        guard letter == UInt8(ascii: "u") || letter == UInt8(ascii: "U") else {
            let shown = (0x21..<0x7F).contains(letter) ? "\\\(Character(Unicode.Scalar(letter)))" : "\\ before \(describe(pos + 1))"
            throw error("an unknown escape: \(shown) (known: \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX \\UXXXXXXXX)", at: start, key: key)
        }
        let count = letter == UInt8(ascii: "u") ? 4 : 8
        var value: UInt32 = 0
        for offset in (pos + 2)..<(pos + 2 + count) {
            guard let digit = byte(at: offset), Self.isDigit(digit, radix: 16) else {
                throw error("expected \(count) hexadecimal digits after \\\(Character(Unicode.Scalar(letter))), found \(describe(offset))", at: offset, key: key)
            }
            let nibble = digit <= UInt8(ascii: "9") ? digit - UInt8(ascii: "0") : (digit | 0x20) - UInt8(ascii: "a") + 10
            value = value << 4 | UInt32(nibble)
        }
        guard let scalar = Unicode.Scalar(value) else {
            let written = String(decoding: bytes[start..<(pos + 2 + count)], as: UTF8.self)
            throw error("\(written) is not a Unicode scalar value", at: start, key: key)
        }
        text.append(contentsOf: Array(String(scalar).utf8))
        pos += 2 + count
    }

    /// Copies the character at `pos` into `text`: a control character but tab is an error,
    /// and so is invalid UTF-8.
    private mutating func copyCharacter(into text: inout [UInt8], key: [String]?) throws(TOMLError) {
        guard let byte = peek else { return }
        if byte < 0x80 {
            if Self.isControl(byte) { throw error("\(describe(pos)) in a string (write it as an escape)", at: pos, key: key) }
            text.append(byte)
            pos += 1
            return
        }
        let start = pos
        _ = try scalar(at: pos, key: key)
        text.append(contentsOf: bytes[start..<pos])
    }

    /// The UTF-8 encoded scalar at `offset`, moving `pos` past it; an error for invalid UTF-8.
    @discardableResult
    mutating func scalar(at offset: Int, key: [String]? = nil) throws(TOMLError) -> Unicode.Scalar {
        guard let (scalar, length) = decodeScalar(at: offset) else {
            throw error("\(describe(offset)) (the file must be UTF-8)", at: offset, key: key)
        }
        pos = offset + length
        return scalar
    }

    /// The scalar at `offset` and its length in bytes, if the bytes there are well-formed UTF-8.
    func decodeScalar(at offset: Int) -> (Unicode.Scalar, Int)? {
        guard let lead = byte(at: offset) else { return nil }
        let length: Int
        var value: UInt32
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0x00..<0x80: return Unicode.Scalar(UInt32(lead)).map { ($0, 1) }
        case 0xC2...0xDF: length = 2; value = UInt32(lead & 0x1F)
        case 0xE0: length = 3; value = 0; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3; value = UInt32(lead & 0x0F)
        case 0xED: length = 3; value = 0x0D; high = 0x9F
        case 0xF0: length = 4; value = 0; low = 0x90
        case 0xF1...0xF3: length = 4; value = UInt32(lead & 0x07)
        case 0xF4: length = 4; value = 4; high = 0x8F
        default: return nil
        }
        for index in 1..<length {
            guard let next = byte(at: offset + index) else { return nil }
            let (lower, upper): (UInt8, UInt8) = index == 1 ? (low, high) : (0x80, 0xBF)
            guard next >= lower, next <= upper else { return nil }
            value = value << 6 | UInt32(next & 0x3F)
        }
        return Unicode.Scalar(value).map { ($0, length) }
    }

    private func unclosed(_ what: String, at open: Int, key: [String]?) -> TOMLError {
        error("a \(what) opened here is not closed before the end of the file", at: open, key: key)
    }
}
