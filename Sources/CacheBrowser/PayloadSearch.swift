import Foundation
import JSONKit

/// A payload search `update` hands to the runtime, which answers with `.searchFinished`.
public struct PayloadSearch: Sendable, Hashable {
    /// Tells this search's result from an older one's.
    public var id: Int
    public var needle: String
    /// The document searches from the line after (before) this one.
    public var fromLine: Int
    public var forward: Bool
    /// `n`/`N`: the cursor's own line comes last (a hit there has wrapped).
    public var skipCurrent: Bool
    public var document: any PayloadDocument

    public init(id: Int, needle: String, fromLine: Int, forward: Bool, skipCurrent: Bool, document: any PayloadDocument) {
        self.id = id
        self.needle = needle
        self.fromLine = fromLine
        self.forward = forward
        self.skipCurrent = skipCurrent
        self.document = document
    }

    /// Searches are equal by id: the document is the one the search was started in.
    public static func == (lhs: PayloadSearch, rhs: PayloadSearch) -> Bool { lhs.id == rhs.id }

    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}
