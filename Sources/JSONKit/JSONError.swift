/// A JSON syntax error at a 1-based line and column.
///
/// The column counts Unicode scalars from the start of the line, so it matches what an
/// editor shows for UTF-8 text.
public struct JSONError: Error, CustomStringConvertible, Equatable, Sendable {
    /// 1-based line of the offending byte.
    public var line: Int
    /// 1-based column (in Unicode scalars) of the offending byte.
    public var column: Int
    /// What was wrong and what was expected instead.
    public var message: String

    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "line \(line), column \(column): \(message)" }
}

extension JSONError {
    /// The error for the byte at `offset` of `bytes`, with its line and column worked out.
    static func at(_ offset: Int, in bytes: UnsafeBufferPointer<UInt8>, _ message: String) -> JSONError {
        var line = 1
        var column = 1
        let end = min(offset, bytes.count)
        var i = 0
        while i < end {
            let b = bytes[i]
            if b == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if b & 0xC0 != 0x80 {
                column += 1
            }
            i += 1
        }
        return JSONError(line: line, column: column, message: message)
    }

    /// How an offending byte is named in a message: `'x'`, `byte 0xff`, or `end of input`.
    static func describe(_ offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard offset < bytes.count else { return "end of input" }
        let b = bytes[offset]
        if b >= 0x20 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        if b == UInt8(ascii: "\n") { return "a line break" }
        if b < 0x80 { return "control character \(Display.visibleEscape(Unicode.Scalar(b)))" }
        // A non-ASCII scalar outside a string: name it if it is valid UTF-8.
        let tail = UnsafeBufferPointer(rebasing: bytes[offset..<min(bytes.count, offset + 4)])
        var iterator = tail.makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let scalar) = decoder.decode(&iterator) {
            if Display.isUnsafe(scalar) { return "character \(Display.visibleEscape(scalar))" }
            return "'\(Character(scalar))'"
        }
        return "invalid UTF-8 byte 0x\(String(b, radix: 16))"
    }
}
