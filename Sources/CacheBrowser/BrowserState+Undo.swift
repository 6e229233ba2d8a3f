import Foundation
import JSONKit
import SodarCache
import StoreKernel

// `u`: taking this session's deletes back from the trash, newest first.
extension BrowserState {
    // MARK: - Undo

    /// `u`: asks the runtime to restore the newest delete of this session not undone yet.
    mutating func undoDelete() -> [BrowserEffect] {
        guard actionsAvailable else { return unavailable() }
        if case .off(let reason) = options.undo {
            // Nothing was kept, so there is nothing to ask the store for.
            message = StatusMessage(
                "Nothing to undo: " + (reason.map { "deletes are for good, \($0)" } ?? "this browser's deletes are for good"),
                isError: true)
            return []
        }
        message = StatusMessage("Undoing the last delete…")
        return [.undoDelete]
    }

    mutating func undone(_ outcome: UndoOutcome) -> [BrowserEffect] {
        switch outcome {
        case .nothingLeft:
            message = StatusMessage("Nothing to undo in this session")
            return []
        case .purged(let entry):
            message = StatusMessage(
                "Cannot undo delete \(entry): it is no longer in the trash (purged, or restored elsewhere); u again undoes the one before",
                isError: true)
            return []
        case .storeReplaced(let entry):
            message = StatusMessage(
                "Cannot undo delete \(entry): the store was reopened since (r), and the new file's trash is not this session's",
                isError: true)
            return []
        case .restored(let entry, let report):
            message = StatusMessage(Self.restoredText(entry: entry, report: report, ages: options.itemAges), isError: report.restored.isEmpty)
            return liveReload()
        }
    }

    /// "Restored 3 items (delete 12)", then the first item it skipped and why.
    static func restoredText(entry: Int64, report: RestoreReport, ages: ItemAges) -> String {
        var text: String
        if report.restored.isEmpty {
            text = "Restored nothing (delete \(entry))"
        } else {
            text = "Restored \(BrowserFormat.counted(report.restored.count, "item")) (delete \(entry))"
            // SODAR's tables: the rows are as they were, but the server stamps the restore's commit.
            if ages == .commitTime { text += ", their age now the restore's commit time" }
        }
        guard let first = report.skipped.first else { return text }
        let name = Display.escape(first.item.appName) + ": " + Display.escape(first.item.name)
        text += "; skipped \(report.skipped.count == 1 ? "" : "\(BrowserFormat.count(report.skipped.count)), first ")"
        text += name + ": " + Display.escape(first.reason.description)
        if report.skipped.count > 1 { text += " (sodarcache trash show \(entry) lists them)" }
        return text
    }

    mutating func undoFailed(text: String) -> [BrowserEffect] {
        message = StatusMessage("Nothing restored: \(text)", isError: true)
        return []
    }

    // MARK: - What the delete dialogs say

    /// The dialogs' closing lines: whether the delete can be taken back, how and until when.
    /// They show whatever the terminal's size (`ConfirmDialog.keep`).
    func undoLines(_ target: DeleteTarget) -> [String] {
        switch options.undo {
        case .off(let reason):
            return ["This cannot be undone" + (reason.map { ": \($0)" } ?? "") + "."]
        case .trash(_, let maxBytes) where !options.undo.keeps(bytes: target.bytes):
            // The trash would purge it at once, to stay within its cap.
            return [
                "This cannot be undone: \(BrowserFormat.size(target.bytes)) is more than the trash keeps "
                    + "(max_size \(BrowserFormat.size(Int(clamping: maxBytes))))."
            ]
        case .trash(let keep, _):
            let until = BrowserFormat.minuteTime(now.addingTimeInterval(keep), timeZone: timeZone)
            if let why = options.capabilities.whyNotWrite {
                return ["Kept in the trash until \(until), but u cannot", "put it back here: \(why)."]
            }
            // Short lines: they must fit a 40-column terminal's dialog whole.
            return ["Undo with u until \(until)", "(or sodarcache trash restore)."]
        }
    }
}
