import Foundation
import SodarCache

/// An item as a dialog showed it: what a delete compares before it deletes, so that an item
/// written or rewritten since is kept.
public struct ShownItem: Sendable, Hashable {
    public var dateModified: Date
    /// The row version (`ItemSummary.version`), where the engine has one.
    public var version: Int64?

    public init(dateModified: Date, version: Int64? = nil) {
        self.dateModified = dateModified
        self.version = version
    }

    public init(_ item: ItemSummary) {
        self.init(dateModified: item.dateModified, version: item.version)
    }
}
