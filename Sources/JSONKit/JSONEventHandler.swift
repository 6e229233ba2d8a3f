/// What the scanner reports while it walks a document, in source order.
///
/// Offsets are byte offsets into the scanned buffer; `end` is exclusive. `depth` is the
/// nesting level the event belongs to: 0 for the top-level value, 1 for its members, ...
protocol JSONEventHandler {
    /// The top-level value starts at `start`.
    mutating func begin(at start: Int) throws
    /// A member (object) or element (array) follows, starting at `next`; `first` for the
    /// first one of its container; `depth` is the members' nesting level.
    mutating func separator(first: Bool, depth: Int, next: Int) throws
    /// An object key, quotes included, spelled as in the source.
    mutating func key(_ start: Int, _ end: Int) throws
    /// A string, number or literal, spelled as in the source.
    mutating func scalar(_ kind: JSONTokenKind, _ start: Int, _ end: Int) throws
    /// `{}` or `[]`, with any whitespace inside it in the source.
    mutating func empty(isArray: Bool, _ start: Int, _ end: Int) throws
    /// A non-empty container opens at `start`, at nesting level `depth`.
    mutating func open(isArray: Bool, _ start: Int, depth: Int) throws
    /// A non-empty container closes at `start`, at nesting level `depth`.
    mutating func close(isArray: Bool, _ start: Int, depth: Int) throws
}

/// Listens to nothing: plain validation.
struct JSONNullHandler: JSONEventHandler {
    @inline(__always) mutating func begin(at start: Int) {}
    @inline(__always) mutating func separator(first: Bool, depth: Int, next: Int) {}
    @inline(__always) mutating func key(_ start: Int, _ end: Int) {}
    @inline(__always) mutating func scalar(_ kind: JSONTokenKind, _ start: Int, _ end: Int) {}
    @inline(__always) mutating func empty(isArray: Bool, _ start: Int, _ end: Int) {}
    @inline(__always) mutating func open(isArray: Bool, _ start: Int, depth: Int) {}
    @inline(__always) mutating func close(isArray: Bool, _ start: Int, depth: Int) {}
}
