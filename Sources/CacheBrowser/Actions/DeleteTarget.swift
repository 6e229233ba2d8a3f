import Foundation
import SodarCache
import StoreKernel

/// What a delete dialog would delete.
public struct DeleteTarget: Sendable, Hashable {
    public enum Selection: Sendable, Hashable {
        /// These items, by UUID (the selected or the marked ones).
        case items([UUID])
        /// Every item the filter matches (an app's or a project's items, the stale ones).
        case matching(CacheFilter)
    }

    public var selection: Selection
    /// What, in words: "item samplesheets:sheet/x", "3 marked items", "the stale items of ...".
    public var what: String
    /// How many items it comes to (when the dialog opened).
    public var count: Int
    /// Their payload bytes (when the dialog opened): more than the trash may keep, and the
    /// delete cannot be undone.
    public var bytes = 0
    /// The project's full title, or "(site-wide)", escaped for display.
    public var project: String
    /// The app, escaped (nil: every app of the project).
    public var app: String?
    /// The first items' names (escaped; "app: name" when `app` is nil), at most `shownItems`.
    public var itemNames: [String] = []
    /// For `.items`: each item's update time as the user saw it. An item another writer
    /// rewrote since is then kept, not deleted with its new data (empty: delete regardless).
    public var shown: [UUID: ShownItem] = [:]
    /// A category's row: the filter's project and every project beneath it, as its figures show.
    public var subtree = false
    /// With `subtree`: how many projects the counted items lie in.
    public var projectCount = 0

    /// How many items a dialog names before "and N more".
    public static let shownItems = 5

    public init(
        selection: Selection, what: String, count: Int, project: String, app: String?, itemNames: [String] = [],
        shown: [UUID: ShownItem] = [:]
    ) {
        self.shown = shown
        self.selection = selection
        self.what = what
        self.count = count
        self.project = project
        self.app = app
        self.itemNames = Array(itemNames.prefix(Self.shownItems))
    }

    /// The dialog's lines naming what goes: project, app, up to five items, "and N more".
    public var placeLines: [String] {
        var lines = ["Project: " + project + (subtree ? " and every project beneath it" : ""), "App: " + (app ?? "every app")]
        if subtree { lines.append("In \(BrowserFormat.counted(projectCount, "project")) with items") }
        if !itemNames.isEmpty {
            lines.append(count == 1 ? "Item:" : "Items:")
            lines += itemNames.map { "  " + $0 }
            if count > itemNames.count { lines.append("  and \(BrowserFormat.count(count - itemNames.count)) more") }
        }
        return lines
    }
}
