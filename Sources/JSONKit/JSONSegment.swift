/// A run of text on a pretty-printed line with one highlight class.
public struct JSONSegment: Sendable, Equatable {
    /// The text as displayed: strings keep their quotes and escapes, with raw unsafe
    /// scalars shown as `\u001b`-style escapes.
    public var text: String
    /// How to colour it.
    public var kind: JSONTokenKind

    public init(text: String, kind: JSONTokenKind) {
        self.text = text
        self.kind = kind
    }
}
