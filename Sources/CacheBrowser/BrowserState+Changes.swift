import Foundation
import JSONKit
import SodarCache
import StoreKernel

// A sync's changes in a list of their own: the preview's (`P`, a dry run) and the last sync's
// of this session (`C`). Enter on an item opens it.
extension BrowserState {
    /// The list an overlay shows.
    func changeList(preview: Bool) -> ChangeList? { preview ? syncPreview : lastSyncChanges }

    /// A preview ended (done, failed in part, or cancelled): its list opens unless a question
    /// is on screen, which is never covered.
    mutating func previewEnded(_ summary: SyncSummary, title: String) -> [BrowserEffect] {
        sync = nil
        let list = ChangeList(source: .preview, title: title, endedAt: now, summary: summary)
        syncPreview = list
        if case .confirm? = overlay {
            message = StatusMessage("Preview of \(title) ready: " + list.closing)
            return []
        }
        overlay = .changes(preview: true, cursor: 0)
        message = StatusMessage(list.closing, isError: summary.failed > 0 || summary.cancelled)
        return []
    }

    /// `C`: the last sync's changes.
    mutating func showChanges() -> [BrowserEffect] {
        guard lastSyncChanges != nil else {
            message = StatusMessage(sync.map { _ in "The sync is still running: C lists its changes once it ends" } ?? "No sync in this session yet (s, S)")
            return []
        }
        overlay = .changes(preview: false, cursor: 0)
        return []
    }

    mutating func handleChanges(preview: Bool, cursor: Int, key: Key) -> [BrowserEffect] {
        if let moved = listCursor(key, cursor: cursor, count: changeList(preview: preview)?.rows.count ?? 0) {
            overlay = .changes(preview: preview, cursor: moved)
            return []
        }
        switch key {
        case .enter, .right, .char("l"):
            return openRow(preview: preview, cursor: cursor)
        case .ctrl("c"):
            overlay = nil
            return quit()
        case .char("c") where sync != nil:
            return cancelSync(confirm: false)
        case .escape, .left, .char("h"), .backspace, .char("q"), .char("C"), .char("P"):
            overlay = nil
        default:
            break
        }
        return []
    }

    mutating func changesMouse(_ event: MouseEvent, preview: Bool, cursor: Int) -> [BrowserEffect] {
        switch listPointing(event, cursor: cursor, count: changeList(preview: preview)?.rows.count ?? 0) {
        case .select(let entry): overlay = .changes(preview: preview, cursor: entry)
        case .open(let entry): return openRow(preview: preview, cursor: entry)
        case nil: break
        }
        return []
    }

    private mutating func openRow(preview: Bool, cursor: Int) -> [BrowserEffect] {
        guard let rows = changeList(preview: preview)?.rows, rows.indices.contains(cursor) else { return [] }
        guard let change = rows[cursor].item else {
            message = StatusMessage("Enter opens an item: move to a row with + ~ - or !")
            return []
        }
        return openChange(change, preview: preview)
    }

    /// Enter on a change: opens the item as it is now; an item the last sync changed, with its
    /// versions listed (`H`), where Enter diffs the one the sync replaced against it.
    mutating func openChange(_ change: SyncItemChange, preview: Bool) -> [BrowserEffect] {
        let label = Display.escape(change.app + ":" + change.name)
        if preview && change.kind == .new {
            message = StatusMessage("\(label) is not in the store: the preview wrote nothing")
            return []
        }
        if !preview && change.kind == .removed {
            message = StatusMessage("\(label) was removed by the sync")
            return []
        }
        return locate(
            project: change.project, app: change.app, name: change.name, open: true, versions: !preview && change.kind == .changed)
    }
}
