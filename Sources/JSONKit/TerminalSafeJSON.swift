/// Rewrites JSON text bound for a terminal so that nothing in it can drive the terminal:
/// raw DEL, C1 controls (U+0080-U+009F) and bidirectional overrides/isolates inside strings
/// become `\uXXXX` escapes. The JSON value stays the same (valid JSON has such characters
/// only inside strings, and raw C0 controls not at all). Works on a stream of chunks; a
/// character split between chunks is held back until the next one.
public struct TerminalSafeJSON {
    private var pending: [UInt8] = []

    public init() {}

    /// Filters one chunk, passing the safe output to `emit` (possibly in several pieces).
    public mutating func filter(_ chunk: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        if pending.isEmpty {
            let kept = try scan(chunk, emit: emit)
            if kept < chunk.count { pending = Array(chunk[kept...]) }
        } else {
            var joined = pending
            joined.append(contentsOf: chunk)
            pending.removeAll()
            try joined.withUnsafeBytes { bytes in
                let kept = try scan(bytes, emit: emit)
                if kept < bytes.count { pending = Array(bytes[kept...]) }
            }
        }
    }

    /// Emits what was held back at the end of the stream.
    public mutating func finish(emit: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        guard !pending.isEmpty else { return }
        let rest = pending
        pending.removeAll()
        try rest.withUnsafeBytes { try emit($0) }
    }

    /// Emits `bytes` with unsafe characters escaped; returns how many bytes it consumed (the
    /// rest is an incomplete sequence at the end).
    private func scan(_ bytes: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) rethrows -> Int {
        var start = 0
        var index = 0
        let count = bytes.count
        func flush(to end: Int) throws {
            if end > start { try emit(UnsafeRawBufferPointer(rebasing: bytes[start..<end])) }
        }
        while index < count {
            let byte = bytes[index]
            var escaped: UInt32?
            var length = 1
            if byte == 0x7F {
                escaped = 0x7F
            } else if byte == 0xC2 {
                guard index + 1 < count else { try flush(to: index); return index }
                let next = bytes[index + 1]
                if next >= 0x80 && next <= 0x9F {
                    escaped = UInt32(next)
                    length = 2
                }
            } else if byte == 0xE2 {
                guard index + 2 < count else { try flush(to: index); return index }
                let second = bytes[index + 1]
                let third = bytes[index + 2]
                if (second == 0x80 && third >= 0xAA && third <= 0xAE) || (second == 0x81 && third >= 0xA6 && third <= 0xA9) {
                    escaped = 0x2000 | (UInt32(second & 0x03) << 6) | UInt32(third & 0x3F)
                    length = 3
                }
            }
            if let value = escaped, let scalar = Unicode.Scalar(value) {
                try flush(to: index)
                var text = Display.visibleEscape(scalar)
                try text.withUTF8 { try emit(UnsafeRawBufferPointer($0)) }
                index += length
                start = index
            } else {
                index += 1
            }
        }
        try flush(to: count)
        return count
    }
}
