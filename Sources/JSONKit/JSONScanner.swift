/// The one-pass, non-recursive tokenizer and strict RFC 8259 validator.
///
/// Nesting is tracked on an explicit stack, so depth is bounded by `maxDepth` and never by
/// the thread's stack. Every syntax error is thrown as a `JSONError` naming what was
/// expected at that line and column.
struct JSONScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    let p: UnsafePointer<UInt8>
    let n: Int
    let maxDepth: Int

    /// Scans `bytes`; an empty buffer is an error like any other.
    static func scan<H: JSONEventHandler>(
        _ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int, handler: inout H
    ) throws {
        guard let base = bytes.baseAddress, bytes.count > 0 else {
            throw JSONError(line: 1, column: 1, message: "expected a JSON value, found end of input")
        }
        let scanner = JSONScanner(bytes: bytes, p: base, n: bytes.count, maxDepth: max(0, maxDepth))
        try scanner.run(&handler)
    }

    /// Scans a `Data`-like byte collection.
    static func scan<H: JSONEventHandler>(
        raw: UnsafeRawBufferPointer, maxDepth: Int, handler: inout H
    ) throws {
        try scan(raw.assumingMemoryBound(to: UInt8.self), maxDepth: maxDepth, handler: &handler)
    }

    // MARK: - Structure

    @inline(__always)
    func run<H: JSONEventHandler>(_ h: inout H) throws {
        var stack: [Bool] = []  // isArray per open container
        stack.reserveCapacity(64)
        var i = skipWhitespace(0)
        if i < n && p[i] == 0xEF && i + 2 < n && p[i + 1] == 0xBB && p[i + 2] == 0xBF {
            throw fail(i, "a byte order mark is not allowed; expected a JSON value")
        }
        try h.begin(at: i)
        valueLoop: while true {
            guard i < n else { throw fail(i, "expected a JSON value, found end of input") }
            let b = p[i]
            switch b {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let isArray = b == UInt8(ascii: "[")
                guard stack.count < maxDepth else {
                    throw fail(i, "nesting deeper than the limit of \(maxDepth) levels")
                }
                let j = skipWhitespace(i + 1)
                if j < n && p[j] == (isArray ? UInt8(ascii: "]") : UInt8(ascii: "}")) {
                    try h.empty(isArray: isArray, i, j + 1)
                    i = j + 1
                } else {
                    try h.open(isArray: isArray, i, depth: stack.count)
                    stack.append(isArray)
                    try h.separator(first: true, depth: stack.count, next: j)
                    i = isArray ? j : try member(j, &h, afterComma: false)
                    continue valueLoop
                }
            case UInt8(ascii: "\""):
                let e = try string(i)
                try h.scalar(.string, i, e)
                i = e
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let e = try number(i)
                try h.scalar(.number, i, e)
                i = e
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                let e = try literal(i)
                try h.scalar(.literal, i, e)
                i = e
            default:
                throw fail(i, "expected a JSON value, found \(describe(i))")
            }
            // After a value: close containers until a ',' or the end.
            while true {
                i = skipWhitespace(i)
                guard let isArray = stack.last else {
                    if i != n {
                        throw fail(i, "expected end of input after the JSON value, found \(describe(i))")
                    }
                    return
                }
                guard i < n else {
                    throw fail(i, isArray ? "expected ',' or ']' after an array element, found end of input"
                        : "expected ',' or '}' after an object member, found end of input")
                }
                let c = p[i]
                if c == UInt8(ascii: ",") {
                    let j = skipWhitespace(i + 1)
                    try h.separator(first: false, depth: stack.count, next: j)
                    if isArray {
                        if j < n && p[j] == UInt8(ascii: "]") {
                            throw fail(j, "expected a value after ',', found ']' (trailing commas are not allowed)")
                        }
                        i = j
                    } else {
                        i = try member(j, &h, afterComma: true)
                    }
                    continue valueLoop
                }
                if c == (isArray ? UInt8(ascii: "]") : UInt8(ascii: "}")) {
                    stack.removeLast()
                    try h.close(isArray: isArray, i, depth: stack.count)
                    i += 1
                    continue
                }
                throw fail(i, isArray ? "expected ',' or ']' after an array element, found \(describe(i))"
                    : "expected ',' or '}' after an object member, found \(describe(i))")
            }
        }
    }

    /// Parses `"key" :` at `start` and returns the offset of the member's value.
    @inline(__always)
    func member<H: JSONEventHandler>(_ start: Int, _ h: inout H, afterComma: Bool) throws -> Int {
        guard start < n && p[start] == UInt8(ascii: "\"") else {
            if afterComma && start < n && p[start] == UInt8(ascii: "}") {
                throw fail(start, "expected a string key after ',', found '}' (trailing commas are not allowed)")
            }
            throw fail(start, "expected a string key, found \(describe(start))")
        }
        let e = try string(start)
        try h.key(start, e)
        let k = skipWhitespace(e)
        guard k < n && p[k] == UInt8(ascii: ":") else {
            throw fail(k, "expected ':' after an object key, found \(describe(k))")
        }
        return skipWhitespace(k + 1)
    }

    @inline(__always)
    func skipWhitespace(_ start: Int) -> Int { Self.skipWhitespace(start, p: p, n: n) }

    /// The offset of the first byte at or after `start` that is not JSON whitespace (space,
    /// line feed, carriage return, tab), or `n`: the diff's walk over validated bytes skips
    /// with it too.
    @inline(__always)
    static func skipWhitespace(_ start: Int, p: UnsafePointer<UInt8>, n: Int) -> Int {
        var i = start
        while i < n {
            let b = p[i]
            if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { i += 1 } else { break }
        }
        return i
    }

    // MARK: - Tokens

    /// The offset just past the closing quote of the string starting at `start`.
    @inline(__always)
    func string(_ start: Int) throws -> Int {
        var i = start + 1
        while true {
            // Eight bytes at a time while none is special.
            while i + 8 <= n {
                let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                if JSONScanner.hasSpecialByte(w) { break }
                i += 8
            }
            while i < n {
                let b = p[i]
                if b == 0x22 || b == 0x5C || b < 0x20 || b >= 0x80 { break }
                i += 1
            }
            guard i < n else { throw fail(n, "expected '\"' to close the string, found end of input") }
            let b = p[i]
            if b == 0x22 { return i + 1 }
            if b == 0x5C {
                i = try escape(i)
            } else if b < 0x20 {
                throw fail(i, "control character \(Display.visibleEscape(Unicode.Scalar(b))) must be escaped in a string")
            } else {
                i = try utf8(i)
            }
        }
    }

    /// Whether any byte of `w` is `"`, `\`, below 0x20 or above 0x7F.
    @inline(__always)
    static func hasSpecialByte(_ w: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = w ^ (ones &* 0x22)
        let slash = w ^ (ones &* 0x5C)
        let hasQuote = (quote &- ones) & ~quote
        let hasSlash = (slash &- ones) & ~slash
        let hasControl = (w &- ones &* 0x20) & ~w
        return ((hasQuote | hasSlash | hasControl) & highs) | (w & highs) != 0
    }

    /// Validates the escape at `start` (a backslash) and returns the offset after it.
    @inline(__always)
    func escape(_ start: Int) throws -> Int {
        guard start + 1 < n else { throw fail(n, "expected an escape character after '\\', found end of input") }
        switch p[start + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
            UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return start + 2
        case UInt8(ascii: "u"):
            let unit = try hex4(start + 2)
            if unit >= 0xDC00 && unit <= 0xDFFF {
                throw fail(start, "lone low surrogate \\u\(hexString(unit)) in string")
            }
            if unit >= 0xD800 && unit <= 0xDBFF {
                guard start + 7 < n && p[start + 6] == UInt8(ascii: "\\") && p[start + 7] == UInt8(ascii: "u") else {
                    throw fail(start, "lone high surrogate \\u\(hexString(unit)) in string; expected a \\uDC00-\\uDFFF escape after it")
                }
                let low = try hex4(start + 8)
                guard low >= 0xDC00 && low <= 0xDFFF else {
                    throw fail(start, "high surrogate \\u\(hexString(unit)) followed by \\u\(hexString(low)) instead of a low surrogate \\uDC00-\\uDFFF")
                }
                return start + 12
            }
            return start + 6
        default:
            throw fail(start + 1, "invalid escape '\\' followed by \(describe(start + 1)); expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX")
        }
    }

    private func hexString(_ unit: UInt32) -> String {
        let s = String(unit, radix: 16)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }

    @inline(__always)
    func hex4(_ start: Int) throws -> UInt32 {
        var value: UInt32 = 0
        for k in 0..<4 {
            let i = start + k
            guard i < n else { throw fail(i, "expected 4 hex digits after \\u, found end of input") }
            let b = p[i]
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default: throw fail(i, "expected 4 hex digits after \\u, found \(describe(i))")
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// Validates the multi-byte UTF-8 sequence at `start` and returns the offset after it.
    @inline(__always)
    func utf8(_ start: Int) throws -> Int {
        let b0 = p[start]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE, 0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: throw fail(start, "invalid UTF-8 byte 0x\(String(b0, radix: 16)) in string")
        }
        guard start + length <= n else { throw fail(start, "truncated UTF-8 sequence at end of input") }
        let b1 = p[start + 1]
        guard b1 >= low && b1 <= high else {
            throw fail(start + 1, "invalid UTF-8 continuation byte 0x\(String(b1, radix: 16)) in string")
        }
        var k = 2
        while k < length {
            let b = p[start + k]
            guard b & 0xC0 == 0x80 else {
                throw fail(start + k, "invalid UTF-8 continuation byte 0x\(String(b, radix: 16)) in string")
            }
            k += 1
        }
        return start + length
    }

    /// The offset just past the number starting at `start`.
    @inline(__always)
    func number(_ start: Int) throws -> Int {
        var i = start
        if p[i] == UInt8(ascii: "-") { i += 1 }
        guard i < n && isDigit(p[i]) else { throw fail(i, "expected a digit after '-', found \(describe(i))") }
        if p[i] == UInt8(ascii: "0") {
            i += 1
            if i < n && isDigit(p[i]) { throw fail(i - 1, "leading zeros are not allowed in numbers") }
        } else {
            while i < n && isDigit(p[i]) { i += 1 }
        }
        if i < n && p[i] == UInt8(ascii: ".") {
            i += 1
            guard i < n && isDigit(p[i]) else { throw fail(i, "expected a digit after '.', found \(describe(i))") }
            while i < n && isDigit(p[i]) { i += 1 }
        }
        if i < n && (p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E")) {
            i += 1
            if i < n && (p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-")) { i += 1 }
            guard i < n && isDigit(p[i]) else {
                throw fail(i, "expected a digit in the exponent, found \(describe(i))")
            }
            while i < n && isDigit(p[i]) { i += 1 }
        }
        return i
    }

    @inline(__always)
    func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") < 10 }

    /// The offset just past `true`, `false` or `null` at `start`.
    @inline(__always)
    func literal(_ start: Int) throws -> Int {
        let word: StaticString
        switch p[start] {
        case UInt8(ascii: "t"): word = "true"
        case UInt8(ascii: "f"): word = "false"
        default: word = "null"
        }
        let count = word.utf8CodeUnitCount
        let w = word.utf8Start
        for k in 0..<count where start + k >= n || p[start + k] != w[k] {
            throw fail(start + k, "expected '\(word)', found \(describe(start + k))")
        }
        return start + count
    }

    // MARK: - Errors

    func fail(_ offset: Int, _ message: String) -> JSONError {
        JSONError.at(offset, in: bytes, message)
    }

    func describe(_ offset: Int) -> String {
        JSONError.describe(offset, in: bytes)
    }
}
