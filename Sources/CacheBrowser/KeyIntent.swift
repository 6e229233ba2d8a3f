import SodarCache
import StoreKernel
/// Everything a key can ask the browser to do.
public enum KeyIntent: String, Sendable, Hashable, CaseIterable {
    // Moving
    case moveUp, moveDown, pageUp, pageDown, top, bottom
    case drillIn, back, nextPane, previousPane
    // Lists
    case filter, cycleSort, reload
    // Payload
    case toggleFold, foldAll, unfoldAll, search, searchNext, searchPrevious, copyValue, copyPath, saveJSON
    case toggleWrap, scrollRight, scrollLeft
    // General
    case help, quit
    // Acting on the store: sync and delete.
    case syncSelection, syncAll, deleteItem, deleteGroup, deleteStale, toggleMark, clearMarks, cancelTask
    case showFailures, undoDelete
    case showFindings
    // Versions and diff (issue 20)
    case showVersions, nextChange, previousChange
    // Sync preview, the last sync's changes, the audit trail.
    case previewSync, showChanges, showAudit

    /// The help overlay's description.
    public var summary: String {
        switch self {
        case .moveUp: return "move up"
        case .moveDown: return "move down"
        case .pageUp: return "page up"
        case .pageDown: return "page down"
        case .top: return "first row / line"
        case .bottom: return "last row / line"
        case .drillIn: return "open: project → apps → items → payload (Enter on a category folds it)"
        case .back: return "go back"
        case .nextPane: return "next pane"
        case .previousPane: return "previous pane"
        case .filter: return "filter the list (Enter applies, empty clears)"
        case .cycleSort: return "order: projects' siblings by name / size / latest; items by name / updated / size"
        case .reload: return "reload from the store"
        case .toggleFold: return "fold / unfold the node"
        case .foldAll: return "fold all (payload nodes; categories in the project list)"
        case .unfoldAll: return "unfold all"
        case .search: return "search the payload"
        case .searchNext: return "next match"
        case .searchPrevious: return "previous match"
        case .toggleWrap: return "wrap long lines / cut them at the edge"
        case .scrollRight: return "scroll right (lines not wrapped)"
        case .scrollLeft: return "scroll left"
        case .copyValue: return "copy the value at the cursor as JSON (clipboard, OSC 52)"
        case .copyPath: return "copy the path of the value at the cursor"
        case .saveJSON: return "write the item's JSON to a file (empty: stdout after exit)"
        case .help: return "this help"
        case .quit: return "quit"
        case .syncSelection: return "sync the selected project (in apps/items: the app)"
        case .syncAll: return "sync everything"
        case .deleteItem: return "delete the item (or the marked items)"
        case .deleteGroup: return "delete the app's / project's items"
        case .deleteStale: return "delete the stale items of the selection"
        case .toggleMark: return "mark / unmark the item; fold / unfold a category"
        case .clearMarks: return "clear marks"
        case .cancelTask: return "cancel the running sync"
        case .showFailures: return "the last sync's failures (Enter: details)"
        case .undoDelete: return "undo this session's last delete (again: the one before)"
        case .showFindings: return "the doctor's findings: stale, cleared, oversized, … (Enter goes there)"
        case .showVersions: return "the item's versions: history and trash (Enter: diff against current)"
        case .nextChange: return "next change"
        case .previousChange: return "previous change"
        case .previewSync: return "preview the project's sync (writes nothing)"
        case .showChanges: return "the last sync's changes (Enter: open the item)"
        case .showAudit: return "audit log: this session's, then the store's"
        }
    }

    /// Why the session may not do this (its role's privileges), or nil when it may.
    public func refusal(_ capabilities: StoreCapabilities) -> String? {
        switch self {
        case .syncSelection, .syncAll:
            // A sync writes: through this store, or (an app that writes the cache itself) with
            // other credentials, which a session that may not write must not start either.
            return capabilities.whyNotWrite.map { "Cannot sync: \($0)" }
        case .deleteItem, .deleteGroup, .deleteStale:
            return capabilities.whyNotDelete.map { "Cannot delete: \($0)" }
        case .undoDelete:
            // A restore writes the items back: on a SODAR site, INSERT on its item table.
            return capabilities.whyNotWrite.map { "Cannot undo: \($0)" }
        default:
            return nil
        }
    }

    /// Whether the intent writes to the store (refused under `--read-only`).
    public var writes: Bool {
        switch self {
        case .syncSelection, .syncAll, .deleteItem, .deleteGroup, .deleteStale, .undoDelete: return true
        default: return false
        }
    }
}
