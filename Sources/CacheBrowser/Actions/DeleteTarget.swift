import Foundation
import SodarCache

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
    /// The deleted items were the marked ones: clear the marks after.
    public var clearsMarks = false

    public init(selection: Selection, what: String, count: Int, clearsMarks: Bool = false) {
        self.selection = selection
        self.what = what
        self.count = count
        self.clearsMarks = clearsMarks
    }
}

/// A yes/no question drawn over the panes. No is the default: Enter on No cancels.
public struct ConfirmDialog: Sendable, Hashable {
    public enum Purpose: Sendable, Hashable {
        case delete(DeleteTarget)
        /// Cancel the running sync.
        case cancelSync
        /// Cancel the running sync and quit.
        case quit
    }

    public var purpose: Purpose
    public var title: String
    public var lines: [String]
    /// The highlighted answer; starts on No.
    public var yesSelected = false

    public init(purpose: Purpose, title: String, lines: [String]) {
        self.purpose = purpose
        self.title = title
        self.lines = lines
    }
}
