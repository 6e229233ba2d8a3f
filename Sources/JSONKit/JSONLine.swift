/// One line of a document's 2-space pretty form, split into highlight segments.
public struct JSONLine: Sendable, Equatable {
    /// Leading spaces (2 per nesting level).
    public var indent: Int
    /// The line's text after the indent, in order.
    public var segments: [JSONSegment]
    /// The line goes on past its segments (it was read only up to a number of bytes).
    public var isCut: Bool

    public init(indent: Int, segments: [JSONSegment], isCut: Bool = false) {
        self.indent = indent
        self.segments = segments
        self.isCut = isCut
    }

    /// The line as displayed: indent plus every segment's text.
    public var text: String {
        String(repeating: " ", count: indent) + segments.map(\.text).joined()
    }
}
