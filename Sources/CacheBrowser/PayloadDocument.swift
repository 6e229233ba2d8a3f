import Foundation
import JSONKit

/// A pretty-printed payload the browser renders line by line (only the visible lines are
/// ever asked for). JSONKit's `JSONDocument` is the real one; tests may use a small fake.
public protocol PayloadDocument: Sendable {
    var lineCount: Int { get }
    /// The line, split into JSONKit's highlight segments.
    func payloadLine(_ index: Int) -> JSONLine
    /// The line read from at most `maxBytes` bytes of its source: a longer one comes back
    /// `isCut`, so that showing the start of a 50 MB string does not read all of it.
    func payloadLine(_ index: Int, maxBytes: Int) -> JSONLine
    /// The container whose opening bracket is on this line (not for one-line empty ones).
    func fold(openingAt line: Int) -> PayloadFold?
    /// The container whose closing bracket is on this line.
    func fold(closingAt line: Int) -> PayloadFold?
    /// The containers around a line that do not open on it, innermost first.
    func enclosingFolds(ofLine line: Int) -> [PayloadFold]
    /// A jq-like path of the value on this line, e.g. `.paths["/x"].file_count`.
    func path(ofLine line: Int) -> String
    /// The value on this line as compact JSON (a closing bracket's line: its container), for
    /// the clipboard: nothing is copied out when it is longer than `limit` bytes.
    func compactValue(ofLine line: Int, limit: Int) -> CompactValue
    /// The next line after `fromLine` (before it when not `forward`) containing `needle`,
    /// ignoring case; wraps around and reaches `fromLine` itself last. Nil when nothing matches
    /// or `isCancelled` (asked now and then) said stop.
    func search(_ needle: String, fromLine: Int, forward: Bool, isCancelled: () -> Bool) -> Int?
}

extension PayloadDocument {
    /// The whole line (a document without a cheaper way).
    public func payloadLine(_ index: Int, maxBytes: Int) -> JSONLine { payloadLine(index) }

    /// A search that runs to its end.
    public func search(_ needle: String, fromLine: Int, forward: Bool) -> Int? {
        search(needle, fromLine: fromLine, forward: forward, isCancelled: { false })
    }
}

/// Builds a payload document from an item's bytes (off the UI thread).
public typealias PayloadDocumentBuilder = @Sendable (Data) throws -> any PayloadDocument
