import Foundation
import SodarCache

/// Something drawn over the panes.
public enum BrowserOverlay: Sendable, Hashable {
    /// The key bindings, scrolled by this many lines.
    case help(scroll: Int)
    /// A yes/no question (delete, cancel the sync, quit during a sync).
    case confirm(ConfirmDialog)
    /// The last sync's failures; `detail` shows the one under the cursor in full.
    case failures(cursor: Int, detail: Bool)
    /// The doctor's findings (`!`), the one under the cursor selected.
    case findings(cursor: Int)
    /// A sync's changes: the preview's (`P`) or the last sync's (`C`), the row under the cursor selected.
    case changes(preview: Bool, cursor: Int)
    /// The audit trail (`L`), the row under the cursor selected.
    case audit(cursor: Int)
}
