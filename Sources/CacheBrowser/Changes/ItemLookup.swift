import Foundation
import SodarCache
import StoreKernel

/// An item named by its project, app and name (a sync's change, an audit entry), to find in
/// the store: the runtime answers with where it is now (`.itemLocated`), or nil when it is gone.
public struct ItemLookup: Sendable, Hashable {
    /// The request's generation: an answer to an older lookup is dropped.
    public var generation: Int
    /// The item's project; nil for a site-wide item.
    public var project: UUID?
    public var app: String
    public var name: String
    /// Open its payload once found (a change), or only select it in its list (an audit entry).
    public var open: Bool
    /// Then list its versions (`H`), where Enter diffs the one a sync replaced against it.
    public var versions = false

    public init(generation: Int, project: UUID?, app: String, name: String, open: Bool) {
        self.generation = generation
        self.project = project
        self.app = app
        self.name = name
        self.open = open
    }
}

/// Where a looked-up item is: its project (with the categories above it) and its row.
public struct ItemLocation: Sendable, Hashable {
    /// Nil for a site-wide item.
    public var project: Project?
    /// The categories above the project, nearest first.
    public var ancestors: [UUID]
    public var item: ItemSummary

    public init(project: Project?, ancestors: [UUID], item: ItemSummary) {
        self.project = project
        self.ancestors = ancestors
        self.item = item
    }
}
