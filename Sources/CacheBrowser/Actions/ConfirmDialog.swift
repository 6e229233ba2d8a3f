import Foundation
import SodarCache

/// A yes/no question drawn over the panes. No is the default: Enter on No cancels.
public struct ConfirmDialog: Sendable, Hashable {
    public enum Purpose: Sendable, Hashable {
        case delete(DeleteTarget)
        /// Cancel the running sync.
        case cancelSync
        /// Cancel the running sync and quit.
        case quit
        /// Replace an existing file with an item's JSON.
        case overwrite(SaveRequest)
    }

    public var purpose: Purpose
    public var title: String
    public var lines: [String]
    /// How many of the last `lines` show whatever the terminal's size (what cannot be left
    /// unsaid: whether a delete can be undone); lines before them give way first.
    public var keep = 0
    /// The highlighted answer; starts on No.
    public var yesSelected = false

    public init(purpose: Purpose, title: String, lines: [String]) {
        self.purpose = purpose
        self.title = title
        self.lines = lines
    }
}
