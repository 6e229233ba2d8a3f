/// One difference between two documents: a value added, removed, or changed in place.
///
/// Byte ranges are offsets from the start of each document's bytes (the value as written,
/// brackets included, an object member's key excluded), so a viewer can show the text as
/// stored, fold the context around it and jump from change to change.
public struct JSONDiffChange: Hashable, Sendable {
    /// What happened to the value.
    public enum Kind: String, Hashable, Sendable {
        /// Only in the new document.
        case added
        /// Only in the old document.
        case removed
        /// In both, with another value (or another type) in the new one.
        case changed
    }

    public var kind: Kind
    /// Where the value is in the old document; nil for an added value.
    public var oldPath: JSONPath?
    /// Where the value is in the new document; nil for a removed value.
    public var newPath: JSONPath?
    /// The old value's bytes; nil for an added value.
    public var oldRange: Range<Int>?
    /// The new value's bytes; nil for a removed value.
    public var newRange: Range<Int>?

    public init(kind: Kind, oldPath: JSONPath?, newPath: JSONPath?, oldRange: Range<Int>?, newRange: Range<Int>?) {
        self.kind = kind
        self.oldPath = oldPath
        self.newPath = newPath
        self.oldRange = oldRange
        self.newRange = newRange
    }

    /// The path to show: in the new document, or in the old one for a removed value. The two
    /// differ only in array positions, where an insertion or removal before it moved the value.
    public var path: JSONPath { newPath ?? oldPath ?? JSONPath() }
}
