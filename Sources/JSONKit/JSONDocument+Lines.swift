/// A piece of a pretty line: a source token or fixed punctuation.
enum JSONLinePiece {
    case token(JSONTokenKind, Int, Int)
    case punctuation(StaticString)
}

extension JSONDocument {
    /// Calls `body` with each piece of line `index`, reading the validated source bytes
    /// from the line's start offset: `"key": `, a value (or an opening/closing bracket),
    /// and a trailing comma.
    func withLine(_ index: Int, _ body: (JSONLinePiece, UnsafeBufferPointer<UInt8>) -> Void) {
        data.withUnsafeBytes { raw in
            let bytes = raw.assumingMemoryBound(to: UInt8.self)
            JSONDocument.pieces(of: bytes, at: Int(lineOffsets[index])) { body($0, bytes) }
        }
    }

    static func pieces(of bytes: UnsafeBufferPointer<UInt8>, at offset: Int, _ body: (JSONLinePiece) -> Void) {
        let n = bytes.count
        func skip(_ start: Int) -> Int { skipSpace(bytes, start) }
        func stringEnd(_ start: Int) -> Int { Self.stringEnd(bytes, start) }
        func scalarEnd(_ start: Int) -> Int { Self.scalarEnd(bytes, start) }
        func comma(_ start: Int) {
            let i = skip(start)
            if i < n && bytes[i] == UInt8(ascii: ",") { body(.punctuation(",")) }
        }
        var i = offset
        guard i < n else { return }
        switch bytes[i] {
        case UInt8(ascii: "}"): body(.punctuation("}")); comma(i + 1); return
        case UInt8(ascii: "]"): body(.punctuation("]")); comma(i + 1); return
        case UInt8(ascii: "\""):
            let e = stringEnd(i)
            let j = skip(e)
            guard j < n && bytes[j] == UInt8(ascii: ":") else {
                body(.token(.string, i, e))
                comma(e)
                return
            }
            body(.token(.key, i, e))
            body(.punctuation(": "))
            i = skip(j + 1)
        default: break
        }
        guard i < n else { return }
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
    }
}
