import Foundation

// TEMPORARY scaffolding so other modules compile against the final API while JSONKit is
// being written: the JSONKit work replaces every body here with the byte-level engine.

/// A JSON syntax error at a 1-based line and column.
public struct JSONError: Error, CustomStringConvertible, Equatable, Sendable {
    public var line: Int
    public var column: Int
    public var message: String

    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "line \(line), column \(column): \(message)" }
}

/// Entry points of the order-keeping JSON engine.
public enum JSON {
    /// Validates strictly per RFC 8259. - Throws: `JSONError`.
    public static func validate(_ data: Data, maxDepth: Int = 512) throws {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw JSONError(line: 1, column: 1, message: "invalid JSON")
        }
    }

    /// Pretty-printed with `indent` spaces, key order and number spelling kept.
    public static func pretty(_ data: Data, indent: Int = 2) throws -> Data {
        try validate(data)
        return data
    }

    /// Compact form, key order and number spelling kept.
    public static func compact(_ data: Data) throws -> Data {
        try validate(data)
        return data
    }
}
