extension Display {
    /// Appends valid UTF-8 with DEL, C1 controls and bidi overrides/isolates escaped the
    /// way `Display.escape` shows them.
    public static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, into out: inout [UInt8]) {
        var i = start
        while i < end {
            let b = bytes[i]
            var scalar: UInt32?
            var length = 1
            if b == 0x7F {
                scalar = 0x7F
            } else if b == 0xC2 && i + 1 < end && bytes[i + 1] >= 0x80 && bytes[i + 1] <= 0x9F {
                scalar = UInt32(bytes[i + 1])
                length = 2
            } else if b == 0xE2 && i + 2 < end {
                let v = 0x2000 | (UInt32(bytes[i + 1] & 0x3F) << 6) | UInt32(bytes[i + 2] & 0x3F)
                if bytes[i + 1] & 0xC0 == 0x80 && ((v >= 0x202A && v <= 0x202E) || (v >= 0x2066 && v <= 0x2069)) {
                    scalar = v
                    length = 3
                }
            }
            if let scalar, let s = Unicode.Scalar(scalar) {
                out.append(contentsOf: Display.visibleEscape(s).utf8)
            } else {
                out.append(b)
            }
            i += length
        }
    }
}
