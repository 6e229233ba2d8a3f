import JSONKit

/// One row of the diff view: a line of the current payload around a change, a line of a
/// removed or added value, or a fold standing for the lines hidden between changes.
public struct DiffRow: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// A line of the current payload that did not change.
        case context
        /// A line of a value only the current payload has (the new side of a change).
        case added
        /// A line of a value only the version has (the old side of a change).
        case removed
        /// `hidden` unchanged lines of the current payload, folded.
        case fold(hidden: Int)
        /// The rest of a long value, not shown (`hidden` lines).
        case cut(hidden: Int)
    }

    /// A run of text with one colour; `emphasis` marks a string's changed part.
    public struct Segment: Sendable, Hashable {
        public var text: String
        public var kind: JSONTokenKind
        public var emphasis: Bool

        public init(_ text: String, _ kind: JSONTokenKind, emphasis: Bool = false) {
            self.text = text
            self.kind = kind
            self.emphasis = emphasis
        }
    }

    public var kind: Kind
    /// Leading spaces of the pretty form.
    public var indent: Int
    /// Escaped for the terminal (as the payload view's lines are).
    public var segments: [Segment]
    /// The change this row belongs to (an index into `DiffLines.paths`), nil for context.
    public var change: Int?

    public init(kind: Kind, indent: Int = 0, segments: [Segment] = [], change: Int? = nil) {
        self.kind = kind
        self.indent = indent
        self.segments = segments
        self.change = change
    }

    /// The row as plain text without its sign (for tests and logs).
    public var text: String {
        switch kind {
        case .fold(let hidden): return "⋯ \(hidden) unchanged line\(hidden == 1 ? "" : "s")"
        case .cut(let hidden): return "⋯ \(hidden) more line\(hidden == 1 ? "" : "s") of this value"
        default: return String(repeating: " ", count: indent) + segments.map(\.text).joined()
        }
    }
}

extension DiffRow {
    /// The row laid out as the payload view lays out a line, to be shifted sideways as it is.
    var payloadText: PayloadText {
        PayloadText(indent: indent, runs: segments.map {
            PayloadText.Run(
                text: $0.text, role: BrowserView.role($0.kind), escapes: $0.kind == .key || $0.kind == .string, emphasis: $0.emphasis)
        })
    }
}
