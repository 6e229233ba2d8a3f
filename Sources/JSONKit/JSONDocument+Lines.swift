/// A piece of a pretty line: a source token or fixed punctuation.
enum JSONLinePiece {
    case token(JSONTokenKind, Int, Int)
    case punctuation(StaticString)
}

extension JSONDocument {
    /// Calls `body` with each piece of line `index`, reading the validated source bytes
    /// from the line's start offset: `"key": `, a value (or an opening/closing bracket),
    /// and a trailing comma. No byte at or past `limit` is read: a line longer than that is
    /// reported cut (`true`) instead of being scanned to its end.
    @discardableResult
    func withLine(_ index: Int, limit: Int = .max, _ body: (JSONLinePiece, UnsafeBufferPointer<UInt8>) -> Void) -> Bool {
        data.withUnsafeBytes { raw in
            let bytes = raw.assumingMemoryBound(to: UInt8.self)
            return JSONDocument.pieces(of: bytes, at: Int(lineOffsets[index]), limit: limit) { body($0, bytes) }
        }
    }

    /// - Returns: whether the scan reached `limit` before the line's end.
    @discardableResult
    static func pieces(
        of bytes: UnsafeBufferPointer<UInt8>, at offset: Int, limit: Int = .max, _ body: (JSONLinePiece) -> Void
    ) -> Bool {
        let n = min(bytes.count, limit)
        // The scanners stop at the end of what they are given: give them no more than `limit`.
        let limited = UnsafeBufferPointer(rebasing: bytes[0..<n])
        var reached = false
        func reach(_ i: Int) -> Int {
            if i >= n && n < bytes.count { reached = true }
            return i
        }
        func skip(_ start: Int) -> Int { reach(skipSpace(limited, start)) }
        func stringEnd(_ start: Int) -> Int { reach(Self.stringEnd(limited, start)) }
        func scalarEnd(_ start: Int) -> Int { reach(Self.scalarEnd(limited, start)) }
        func comma(_ start: Int) {
            let i = skip(start)
            if i < n && bytes[i] == UInt8(ascii: ",") { body(.punctuation(",")) }
        }
        var i = offset
        guard i < n else { return reached || (i >= n && n < bytes.count) }
        switch bytes[i] {
        case UInt8(ascii: "}"): body(.punctuation("}")); comma(i + 1); return reached
        case UInt8(ascii: "]"): body(.punctuation("]")); comma(i + 1); return reached
        case UInt8(ascii: "\""):
            let e = stringEnd(i)
            let j = skip(e)
            guard j < n && bytes[j] == UInt8(ascii: ":") else {
                body(.token(.string, i, e))
                comma(e)
                return reached
            }
            body(.token(.key, i, e))
            body(.punctuation(": "))
            i = skip(j + 1)
        default: break
        }
        guard i < n else { return reached }
        switch bytes[i] {
        case UInt8(ascii: "\""):
            let e = stringEnd(i)
            body(.token(.string, i, e))
            comma(e)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let isArray = bytes[i] == UInt8(ascii: "[")
            let j = skip(i + 1)
            if j < n && bytes[j] == (isArray ? UInt8(ascii: "]") : UInt8(ascii: "}")) {
                body(.punctuation(isArray ? "[]" : "{}"))
                comma(j + 1)
            } else {
                body(.punctuation(isArray ? "[" : "{"))
            }
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            let e = scalarEnd(i)
            body(.token(.literal, i, e))
            comma(e)
        default:
            let e = scalarEnd(i)
            body(.token(.number, i, e))
            comma(e)
        }
        return reached
    }
}
