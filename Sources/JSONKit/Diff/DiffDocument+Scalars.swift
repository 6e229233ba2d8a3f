#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Strings, keys and numbers compared by what they mean: escapes decoded (`"\u00e9"` is
/// `"é"`), numbers by their exact decimal value when asked.
extension DiffDocument {
    // MARK: - Strings

    /// Just past the closing quote of the string at `start`; `escaped` says whether it
    /// holds a backslash.
    @inline(__always)
    func scanString(_ start: Int, escaped: inout Bool) -> Int {
        Self.stringEnd(start, p: p, n: n, escaped: &escaped)
    }

    /// The decoded text of the string token `start..<end` (quotes included), as UTF-8,
    /// replacing what `out` held.
    func decodeString(_ start: Int, _ end: Int, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        var i = start + 1
        let last = end - 1  // the closing quote
        while i < last {
            // Copy the run up to the next backslash in one go.
            let run = memchr(p + i, Int32(UInt8(ascii: "\\")), last - i)
            let stop = run.map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) - p } ?? last
            if stop > i { out.append(contentsOf: UnsafeBufferPointer(start: p + i, count: stop - i)) }
            i = stop
            guard i < last else { break }
            let e = p[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var code = hex4(i)
                i += 4
                // Validated: a high surrogate is always followed by its low one.
                if code >= 0xD800 && code <= 0xDBFF && i + 6 <= last && p[i] == UInt8(ascii: "\\") {
                    let low = hex4(i + 2)
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
                appendUTF8(code, to: &out)
            default: out.append(e)  // \" \\ \/
            }
        }
    }

    @inline(__always)
    private func hex4(_ start: Int) -> UInt32 {
        var value: UInt32 = 0
        for k in 0..<4 {
            let b = p[start + k]
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            default: digit = b - UInt8(ascii: "A") + 10
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    private func appendUTF8(_ code: UInt32, to out: inout [UInt8]) {
        switch code {
        case ..<0x80:
            out.append(UInt8(code))
        case ..<0x800:
            out.append(UInt8(0xC0 | code >> 6))
            out.append(UInt8(0x80 | code & 0x3F))
        case ..<0x10000:
            out.append(UInt8(0xE0 | code >> 12))
            out.append(UInt8(0x80 | (code >> 6) & 0x3F))
            out.append(UInt8(0x80 | code & 0x3F))
        default:
            out.append(UInt8(0xF0 | code >> 18))
            out.append(UInt8(0x80 | (code >> 12) & 0x3F))
            out.append(UInt8(0x80 | (code >> 6) & 0x3F))
            out.append(UInt8(0x80 | code & 0x3F))
        }
    }

    /// The hash of the string token `start..<end` by its decoded text.
    func stringHash(_ start: Int, _ end: Int, escaped: Bool, scratch: inout [UInt8]) -> UInt64 {
        guard escaped else { return DiffHash.bytes(p + start + 1, end - start - 2, seed: DiffHash.stringSeed) }
        decodeString(start, end, into: &scratch)
        return scratch.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return DiffHash.bytes(p, 0, seed: DiffHash.stringSeed) }
            return DiffHash.bytes(base, buffer.count, seed: DiffHash.stringSeed)
        }
    }

    /// Whether the string token `start..<end` here and `otherStart..<otherEnd` in `other`
    /// are the same text once decoded.
    func sameString(
        _ start: Int, _ end: Int, _ other: DiffDocument, _ otherStart: Int, _ otherEnd: Int,
        scratch: inout [UInt8], otherScratch: inout [UInt8]
    ) -> Bool {
        let count = end - start
        if count == otherEnd - otherStart && memcmp(p + start, other.p + otherStart, count) == 0 { return true }
        let escaped = hasBackslash(start, end)
        let otherEscaped = other.hasBackslash(otherStart, otherEnd)
        // Without escapes the bytes are the text: different bytes, different text.
        guard escaped || otherEscaped else { return false }
        decodeString(start, end, into: &scratch)
        other.decodeString(otherStart, otherEnd, into: &otherScratch)
        return scratch == otherScratch
    }

    // MARK: - Numbers

    /// The number token `start..<end` as an exact decimal: its significant digits (no
    /// leading or trailing zeros) go to `digits`.
    func decimal(_ start: Int, _ end: Int, digits: inout [UInt8]) -> DiffDecimal {
        digits.removeAll(keepingCapacity: true)
        var i = start
        let negative = p[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        let intStart = i
        while i < end && (p[i] &- UInt8(ascii: "0")) < 10 { i += 1 }
        let intEnd = i
        var fracStart = i
        var fracEnd = i
        if i < end && p[i] == UInt8(ascii: ".") {
            i += 1
            fracStart = i
            while i < end && (p[i] &- UInt8(ascii: "0")) < 10 { i += 1 }
            fracEnd = i
        }
        var exponent = 0
        var exponentNegative = false
        var hugeExponent: Range<Int>?
        if i < end && (p[i] | 0x20) == UInt8(ascii: "e") {
            i += 1
            if p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+") {
                exponentNegative = p[i] == UInt8(ascii: "-")
                i += 1
            }
            while i < end - 1 && p[i] == UInt8(ascii: "0") { i += 1 }
            if end - i > 18 {
                hugeExponent = i..<end
            } else {
                while i < end {
                    exponent = exponent * 10 + Int(p[i] - UInt8(ascii: "0"))
                    i += 1
                }
                if exponentNegative { exponent = -exponent }
            }
        }
        // Leading zeros, across the point (0.000123): each one moves the first digit right.
        var skipped = 0
        var started = false
        for range in [intStart..<intEnd, fracStart..<fracEnd] {
            for k in range {
                let d = p[k]
                if !started {
                    if d == UInt8(ascii: "0") {
                        skipped += 1
                        continue
                    }
                    started = true
                }
                digits.append(d)
            }
        }
        while digits.last == UInt8(ascii: "0") { digits.removeLast() }
        if digits.isEmpty { return DiffDecimal(negative: false, exponent: 0, huge: nil, exponentNegative: false) }
        // The value is 0.d1d2... x 10^(exponent + integer digits - leading zeros).
        let shift = (intEnd - intStart) - skipped
        if let huge = hugeExponent {
            return DiffDecimal(negative: negative, exponent: shift, huge: huge, exponentNegative: exponentNegative)
        }
        return DiffDecimal(negative: negative, exponent: exponent + shift, huge: nil, exponentNegative: false)
    }

    /// Whether two number tokens have the same value (`byValue`) or spelling.
    func sameNumber(
        _ start: Int, _ end: Int, _ other: DiffDocument, _ otherStart: Int, _ otherEnd: Int, byValue: Bool,
        scratch: inout [UInt8], otherScratch: inout [UInt8]
    ) -> Bool {
        let count = end - start
        if count == otherEnd - otherStart && memcmp(p + start, other.p + otherStart, count) == 0 { return true }
        guard byValue else { return false }
        let a = decimal(start, end, digits: &scratch)
        let b = other.decimal(otherStart, otherEnd, digits: &otherScratch)
        guard a.negative == b.negative && a.exponent == b.exponent && scratch == otherScratch else { return false }
        switch (a.huge, b.huge) {
        case (nil, nil):
            return true
        case (let x?, let y?):
            // Exponents of more than 18 digits: equal when spelled alike (see DiffDecimal).
            return a.exponentNegative == b.exponentNegative && x.count == y.count
                && memcmp(p + x.lowerBound, other.p + y.lowerBound, x.count) == 0
        default:
            return false
        }
    }

    /// The hash of a number token: of its value when `byValue`, else of its spelling.
    func numberHash(_ start: Int, _ end: Int, byValue: Bool, scratch: inout [UInt8]) -> UInt64 {
        guard byValue else { return DiffHash.bytes(p + start, end - start, seed: DiffHash.numberSeed) }
        // An integer without leading zeros is its own digits: hashed in place, as below.
        let negative = p[start] == UInt8(ascii: "-")
        let first = negative ? start + 1 : start
        if p[first] != UInt8(ascii: "0") && end - first <= 18 {
            var last = first
            while last < end && (p[last] &- UInt8(ascii: "0")) < 10 { last += 1 }
            if last == end {
                var digitsEnd = end
                while p[digitsEnd - 1] == UInt8(ascii: "0") { digitsEnd -= 1 }
                return DiffHash.bytes(p + first, digitsEnd - first, seed: Self.decimalSeed(exponent: end - first, negative: negative))
            }
        }
        let value = decimal(start, end, digits: &scratch)
        var seed = Self.decimalSeed(exponent: value.exponent, negative: value.negative)
        if let huge = value.huge {
            seed ^= DiffHash.bytes(p + huge.lowerBound, huge.count, seed: value.exponentNegative ? 1 : 2)
        }
        return scratch.withUnsafeBufferPointer { buffer in
            DiffHash.bytes(buffer.baseAddress ?? p, buffer.count, seed: seed)
        }
    }

    @inline(__always)
    static func decimalSeed(exponent: Int, negative: Bool) -> UInt64 {
        let seed = DiffHash.numberSeed ^ UInt64(bitPattern: Int64(exponent)) &* DiffHash.k1
        return negative ? ~seed : seed
    }
}

/// A number as an exact decimal, beside its significant digits: the value is
/// `0.DIGITS x 10^exponent`, negative or not; zero has no digits and is never negative.
///
/// An exponent written with more than 18 significant digits (beyond 10^18) is kept as its
/// spelling (`huge`) with `exponent` the shift to add to it: two such numbers are equal only
/// when their exponents are spelled alike and shifted alike, the one place where equal
/// values could be told apart.
struct DiffDecimal {
    var negative: Bool
    var exponent: Int
    var huge: Range<Int>?
    var exponentNegative: Bool
}
