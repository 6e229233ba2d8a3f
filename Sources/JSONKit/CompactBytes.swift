/// The compact form of validated JSON: its bytes with the whitespace outside strings left
/// out. One walker for every place that shows or copies a value compactly.
enum CompactBytes {
    /// Calls `body` with each byte of the compact form of the validated JSON `bytes[range]`,
    /// in order, until `body` returns false.
    @inline(__always)
    static func forEach(_ bytes: UnsafeBufferPointer<UInt8>, in range: Range<Int>, _ body: (UInt8) -> Bool) {
        var inString = false
        var escaped = false
        for i in range {
            let byte = bytes[i]
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
            } else {
                switch byte {
                case 0x20, 0x0A, 0x0D, 0x09: continue
                case UInt8(ascii: "\""): inString = true
                default: break
                }
            }
            if !body(byte) { return }
        }
    }
}
