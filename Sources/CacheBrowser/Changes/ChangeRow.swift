import Foundation
import SodarCache

/// One row of a change list (`ChangeList`): a heading, an app's counts, or an item.
public struct ChangeRow: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// A project (or site-wide), or the per-app section.
        case heading
        /// An app's counts.
        case app
        /// An app the dry run did not run, with why.
        case skipped
        /// An app that failed.
        case failed
        /// An item the run made new, changed, removed or no longer wrote.
        case item(SyncItemChange.Kind)
        /// Items past the list's limit.
        case more
    }

    public var kind: Kind
    /// The row as drawn (unescaped: the screen escapes it).
    public var text: String
    /// The item an item row names (Enter opens it).
    public var item: SyncItemChange?

    public init(_ kind: Kind, _ text: String) {
        self.kind = kind
        self.text = text
    }

    /// An item's row: `+` new, `~` changed with its first paths, `-` removed, `!` no longer written.
    public init(item: SyncItemChange, label: String) {
        kind = .item(item.kind)
        self.item = item
        switch item.kind {
        case .new: text = "    + " + label
        case .changed:
            text = "    ~ " + label
            if !item.paths.isEmpty {
                text += ": " + item.paths.joined(separator: ", ") + (item.morePaths > 0 ? ", +\(item.morePaths) more" : "")
            }
        case .removed: text = "    - " + label + " (removed)"
        case .notWritten: text = "    ! " + label + " (no longer written: stays as it is)"
        }
    }
}
