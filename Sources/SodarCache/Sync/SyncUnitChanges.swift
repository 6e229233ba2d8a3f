import Foundation

/// What one sync unit (an app in a project, or site-wide) would change or did change.
public struct SyncUnitChanges: Sendable, Hashable {
    /// How the changes were found.
    public enum Basis: String, Sendable, Hashable {
        /// The unit's writes against the items as they stood (in a real sync: read in the
        /// unit's own transaction, just before its writes landed).
        case writes
        /// A command that writes the cache itself: the items as they were just before its run
        /// against the items after it, with the changed paths.
        case aroundRun = "around_run"
        /// Not compared: the dry run did not run the unit (`skipped` says why).
        case skipped
    }

    /// The unit's app.
    public var app: String
    /// The unit's project; nil for a site-wide unit (or a command's whole-site run).
    public var project: Project?
    public var basis: Basis
    /// Why the unit was not run (a dry run skips commands that write the cache themselves).
    public var skipped: String?
    public var counts: SyncChangeCounts
    /// The items behind the counts, unchanged ones aside, in name order per kind; at most the
    /// engine's detail limit (`itemsLeftOut` more).
    public var items: [SyncItemChange]
    /// Items counted but not listed (past the detail limit).
    public var itemsLeftOut: Int

    public init(
        app: String, project: Project?, basis: Basis, skipped: String? = nil, counts: SyncChangeCounts = SyncChangeCounts(),
        items: [SyncItemChange] = [], itemsLeftOut: Int = 0
    ) {
        self.app = app
        self.project = project
        self.basis = basis
        self.skipped = skipped
        self.counts = counts
        self.items = items
        self.itemsLeftOut = itemsLeftOut
    }

    /// The listed items of one kind.
    public func items(_ kind: SyncItemChange.Kind) -> [SyncItemChange] { items.filter { $0.kind == kind } }
}
