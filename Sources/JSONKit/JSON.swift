#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Entry points of the order-keeping JSON engine.
///
/// Everything works on the bytes as given: keys keep their order, numbers and string
/// escapes keep their spelling (`1.50` stays `1.50`, `"\u00e9"` stays escaped). Pretty
/// output equals `jq --indent 2 .` apart from jq's rewriting of numbers and escapes.
public enum JSON {
    /// The default nesting limit of every entry point.
    public static let defaultMaxDepth = 512

    /// Validates strictly per RFC 8259: one value, no trailing commas, comments, NaN,
    /// lone surrogates or invalid UTF-8, nesting at most `maxDepth` levels.
    /// - Throws: `JSONError` at the first offending byte.
    public static func validate(_ data: Data, maxDepth: Int = 512) throws {
        try data.withUnsafeBytes { raw in
            var handler = JSONNullHandler()
            try JSONScanner.scan(raw: raw, maxDepth: maxDepth, handler: &handler)
        }
    }

    /// Pretty-printed with `indent` spaces per level and a final line break, like `jq .`.
    /// - Throws: `JSONError` if `data` is not valid JSON.
    public static func pretty(_ data: Data, indent: Int = 2) throws -> Data {
        var out = Data()
        out.reserveCapacity(data.count + data.count / 2)
        try prettyPrint(data, indent: indent) { chunk in
            if let base = chunk.baseAddress {
                out.append(base.assumingMemoryBound(to: UInt8.self), count: chunk.count)
            }
        }
        return out
    }

    /// The compact form: no whitespace between tokens and no final line break.
    /// - Throws: `JSONError` if `data` is not valid JSON.
    public static func compact(_ data: Data) throws -> Data {
        var out = Data()
        out.reserveCapacity(data.count)
        try compactPrint(data) { chunk in
            if let base = chunk.baseAddress {
                out.append(base.assumingMemoryBound(to: UInt8.self), count: chunk.count)
            }
        }
        return out
    }

    /// Streams the pretty form of `data` to `sink` in chunks of about `chunkSize` bytes,
    /// validating as it goes; memory is bounded by the nesting depth plus the chunk.
    ///
    /// Output ends with a line break. On a syntax error, what was already emitted stays
    /// emitted. Errors thrown by `sink` end the printing and are rethrown unchanged.
    /// - Throws: `JSONError`, or whatever `sink` throws.
    public static func prettyPrint(
        _ data: Data, indent: Int = 2, chunkSize: Int = 1 << 16,
        to sink: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        try stream(data, indent: max(0, indent), chunkSize: chunkSize, to: sink)
    }

    /// Streams the compact form of `data` to `sink` in chunks of about `chunkSize` bytes,
    /// validating as it goes. No final line break.
    /// - Throws: `JSONError`, or whatever `sink` throws.
    public static func compactPrint(
        _ data: Data, chunkSize: Int = 1 << 16,
        to sink: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        try stream(data, indent: nil, chunkSize: chunkSize, to: sink)
    }

    private static func stream(
        _ data: Data, indent: Int?, chunkSize: Int,
        to sink: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        let capacity = max(16, chunkSize)
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        try withoutActuallyEscaping(sink) { sink in
            try data.withUnsafeBytes { raw in
                let bytes = raw.assumingMemoryBound(to: UInt8.self)
                guard let base = bytes.baseAddress, bytes.count > 0 else {
                    throw JSONError(line: 1, column: 1, message: "expected a JSON value, found end of input")
                }
                var printer = JSONPrinter(source: base, buffer: buffer, capacity: capacity, indent: indent, sink: sink)
                try JSONScanner.scan(bytes, maxDepth: defaultMaxDepth, handler: &printer)
                if indent != nil { try printer.write(UInt8(ascii: "\n")) }
                try printer.flush()
            }
        }
    }
}
