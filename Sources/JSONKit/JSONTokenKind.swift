/// The highlight class of a piece of JSON text.
public enum JSONTokenKind: Sendable, Equatable {
    /// An object key, with its quotes.
    case key
    /// A string value, with its quotes.
    case string
    /// A number, spelled as in the source.
    case number
    /// `true`, `false` or `null`.
    case literal
    /// Brackets, `: ` and `,`.
    case punctuation
}
