/// A non-empty object or array of a document: its line range and size, for folding.
///
/// Stored in 16 bytes (documents have hundreds of thousands of containers); documents
/// are limited to 4 GiB, so line numbers and counts fit in 32 bits.
public struct JSONContainer: Sendable, Equatable {
    private var start: UInt32
    private var end: UInt32
    private var children: UInt32
    /// Nesting depth shifted left by one, array flag in the low bit.
    private var depthAndKind: UInt32

    public init(startLine: Int, endLine: Int, childCount: Int, depth: Int, isArray: Bool) {
        start = UInt32(truncatingIfNeeded: startLine)
        end = UInt32(truncatingIfNeeded: endLine)
        children = UInt32(truncatingIfNeeded: childCount)
        depthAndKind = UInt32(truncatingIfNeeded: depth) << 1 | (isArray ? 1 : 0)
    }

    /// 0-based line of the opening bracket (the line with its key, if any).
    public var startLine: Int {
        get { Int(start) }
        set { start = UInt32(truncatingIfNeeded: newValue) }
    }

    /// 0-based line of the closing bracket.
    public var endLine: Int {
        get { Int(end) }
        set { end = UInt32(truncatingIfNeeded: newValue) }
    }

    /// Members of an object or elements of an array.
    public var childCount: Int {
        get { Int(children) }
        set { children = UInt32(truncatingIfNeeded: newValue) }
    }

    /// Nesting level: 0 for the top-level value.
    public var depth: Int {
        get { Int(depthAndKind >> 1) }
        set { depthAndKind = UInt32(truncatingIfNeeded: newValue) << 1 | (depthAndKind & 1) }
    }

    /// An array rather than an object.
    public var isArray: Bool {
        get { depthAndKind & 1 == 1 }
        set { depthAndKind = depthAndKind & ~1 | (newValue ? 1 : 0) }
    }
}

extension JSONContainer: CustomStringConvertible {
    public var description: String {
        "JSONContainer(startLine: \(startLine), endLine: \(endLine), childCount: \(childCount), depth: \(depth), isArray: \(isArray))"
    }
}
