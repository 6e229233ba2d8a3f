/// Hashes whole values for aligning arrays: by meaning (`canonical`: whitespace and key order
/// ignored, escapes decoded, numbers by value when asked, each duplicate key counted) or by
/// the bytes as written (`raw`: cheap, for finding what is unchanged in place).
///
/// Equal values always hash alike, so an array alignment never misses a real match; a hash
/// match is only a suggestion, and the values are compared in full afterwards.
struct DiffHasher {
    let numbersByValue: Bool
    private var stack: [Frame] = []
    private var scratch: [UInt8] = []

    private struct Frame {
        var isObject: Bool
        var accumulator: UInt64
        var count: UInt64
        var key: UInt64
        var expectsKey: Bool
    }

    init(numbersByValue: Bool) {
        self.numbersByValue = numbersByValue
    }

    /// The hash of the value's bytes as written.
    func raw(_ value: DiffValue, in doc: DiffDocument) -> UInt64 {
        DiffHash.bytes(doc.p + Int(value.start), Int(value.end - value.start), seed: DiffHash.rawSeed)
    }

    /// The hash of what the value means, in one pass over its bytes without recursion. The
    /// innermost open container lives in `top`; the stack holds only those around it.
    mutating func canonical(_ value: DiffValue, in doc: DiffDocument) -> UInt64 {
        let p = doc.p
        var i = Int(value.start)
        let end = Int(value.end)
        var result: UInt64 = 0
        stack.removeAll(keepingCapacity: true)
        var top: Frame?
        while i < end {
            let b = p[i]
            var h: UInt64
            switch b {
            case 0x20, 0x0A, 0x0D, 0x09, UInt8(ascii: ":"):
                i += 1
                continue
            case UInt8(ascii: ","):
                if top?.isObject == true { top?.expectsKey = true }
                i += 1
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let isObject = b == UInt8(ascii: "{")
                if let open = top { stack.append(open) }
                top = Frame(
                    isObject: isObject, accumulator: isObject ? DiffHash.objectSeed : DiffHash.arraySeed, count: 0, key: 0,
                    expectsKey: isObject)
                i += 1
                continue
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                let frame = top ?? Frame(isObject: false, accumulator: 0, count: 0, key: 0, expectsKey: false)
                top = stack.popLast()
                h = DiffHash.mix(frame.accumulator ^ frame.count &* DiffHash.k2)
                i += 1
            case UInt8(ascii: "\""):
                var escaped = false
                let e = doc.scanString(i, escaped: &escaped)
                h = doc.stringHash(i, e, escaped: escaped, scratch: &scratch)
                i = e
                if top?.expectsKey == true {
                    top?.key = h
                    top?.expectsKey = false
                    continue
                }
            case UInt8(ascii: "t"), UInt8(ascii: "n"), UInt8(ascii: "f"):
                let e = i + (b == UInt8(ascii: "f") ? 5 : 4)
                h = DiffHash.bytes(p + i, e - i, seed: DiffHash.literalSeed)
                i = e
            default:
                var e = i + 1
                while e < end {
                    let c = p[e]
                    if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 || c == UInt8(ascii: ",")
                        || c == UInt8(ascii: "]") || c == UInt8(ascii: "}") { break }
                    e += 1
                }
                h = doc.numberHash(i, e, byValue: numbersByValue, scratch: &scratch)
                i = e
            }
            // A finished value goes to its container, or is the result.
            if var frame = top {
                if frame.isObject {
                    frame.accumulator &+= DiffHash.member(key: frame.key, value: h)
                } else {
                    frame.accumulator = DiffHash.ordered(frame.accumulator, h)
                }
                frame.count += 1
                top = frame
            } else {
                result = h
            }
        }
        return result
    }
}
