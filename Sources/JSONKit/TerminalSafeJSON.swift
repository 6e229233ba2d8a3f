/// Rewrites JSON text bound for a terminal so that nothing in it can drive the terminal:
/// raw DEL, C1 controls (U+0080-U+009F) and bidirectional overrides/isolates inside strings
/// become `\uXXXX` escapes (`Display.appendEscaped`). The JSON value stays the same (valid
/// JSON has such characters only inside strings, and raw C0 controls not at all). Works on a
/// stream of chunks; a character split between chunks is held back until the next one.
public struct TerminalSafeJSON {
    private var pending: [UInt8] = []
    private var out: [UInt8] = []

    public init() {}

    /// Filters one chunk, passing the safe output to `emit`.
    public mutating func filter(_ chunk: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        var bytes = pending
        bytes.append(contentsOf: chunk)
        let complete = Self.completeLength(bytes)
        pending = Array(bytes[complete...])
        out.removeAll(keepingCapacity: true)
        bytes.withUnsafeBufferPointer { Display.appendEscaped($0, 0, complete, into: &out) }
        try out.withUnsafeBytes { try emit($0) }
    }

    /// Emits what was held back at the end of the stream.
    public mutating func finish(emit: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        guard !pending.isEmpty else { return }
        let rest = pending
        pending.removeAll()
        try rest.withUnsafeBytes { try emit($0) }
    }

    /// How much of `bytes` can be escaped now: all but a trailing lead byte of a character
    /// that may need escaping (C2 for C1 controls, E2 for bidi) whose continuation is missing.
    private static func completeLength(_ bytes: [UInt8]) -> Int {
        let count = bytes.count
        if count >= 1 && (bytes[count - 1] == 0xC2 || bytes[count - 1] == 0xE2) { return count - 1 }
        if count >= 2 && bytes[count - 2] == 0xE2 { return count - 2 }
        return count
    }
}
