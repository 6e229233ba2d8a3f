/// A non-empty object or array of a document: its line range and size, for folding.
public struct JSONContainer: Sendable, Equatable {
    /// 0-based line of the opening bracket (the line with its key, if any).
    public var startLine: Int
    /// 0-based line of the closing bracket.
    public var endLine: Int
    /// Members of an object or elements of an array.
    public var childCount: Int
    /// Nesting level: 0 for the top-level value.
    public var depth: Int
    /// An array rather than an object.
    public var isArray: Bool

    public init(startLine: Int, endLine: Int, childCount: Int, depth: Int, isArray: Bool) {
        self.startLine = startLine
        self.endLine = endLine
        self.childCount = childCount
        self.depth = depth
        self.isArray = isArray
    }
}
