import Foundation
import JSONKit

/// Buffers stdout writes into large chunks: listing a million items line by line must not
/// cost a million system calls.
final class OutputBuffer {
    private var bytes: [UInt8] = []
    private let fd: Int32
    private let limit: Int

    init(fd: Int32 = 1, limit: Int = 1 << 16) {
        self.fd = fd
        self.limit = limit
        bytes.reserveCapacity(limit)
    }

    deinit { flush() }

    func write(_ text: String) {
        bytes.append(contentsOf: text.utf8)
        if bytes.count >= limit { flush() }
    }

    func write(_ raw: UnsafeRawBufferPointer) {
        if bytes.count + raw.count > limit { flush() }
        if raw.count >= limit {
            Console.writeAll(fd, raw)
        } else {
            bytes.append(contentsOf: raw)
        }
    }

    /// JSON we wrote ourselves from the store's text (a listing's records): on a terminal,
    /// characters that would drive it (C1 controls, bidi overrides) are written as escapes, the
    /// same JSON, as `get` writes payloads. `JSON.quote` escapes only C0 controls and DEL.
    func writeJSON(_ text: String) {
        guard toTerminal else { return write(text) }
        var safe = TerminalSafeJSON()
        Array(text.utf8).withUnsafeBytes { chunk in safe.filter(chunk) { write($0) } }
        safe.finish { write($0) }
    }

    /// Whether this buffer writes to a terminal: asked once.
    private lazy var toTerminal = Console.isTTY(fd)

    func flush() {
        guard !bytes.isEmpty else { return }
        bytes.withUnsafeBytes { Console.writeAll(fd, $0) }
        bytes.removeAll(keepingCapacity: true)
    }
}
