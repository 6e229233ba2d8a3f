/// A document `JSONDiff` was given is not valid JSON (or is too large to compare).
public struct JSONDiffError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Which of the two documents.
    public enum Side: String, Sendable {
        case old
        case new
    }

    public var side: Side
    /// Where and why: the validator's error.
    public var error: JSONError

    public init(side: Side, error: JSONError) {
        self.side = side
        self.error = error
    }

    public var description: String { "the \(side.rawValue) document is not valid JSON: \(error)" }
}
