import Foundation
import JSONKit
import SodarCache
import StoreKernel

/// Everything that can happen to the browser: keys, the mouse, resizes, the clock, and the results of effects.
public enum BrowserMessage: Sendable {
    case key(Key)
    /// A click or a wheel notch (never sent under `--no-mouse`).
    case mouse(MouseEvent)
    case resize(width: Int, height: Int)
    /// The clock moved (ages, spinner).
    case tick(Date)
    case totalsLoaded(StoreTotals)
    /// A page of a list arrived; `generation` is its request's.
    case pageLoaded(generation: Int, page: ListPage)
    case payloadLoaded(generation: Int, item: CacheItem, projectTitle: String?, document: any PayloadDocument)
    /// The item could not be shown: gone, invalid JSON, or a store error.
    case payloadFailed(generation: Int, item: CacheItem?, projectTitle: String?, message: String)
    /// A list request failed; the list keeps what it had.
    case loadFailed(pane: BrowserPane?, generation: Int, message: String)
    /// The JSON was written to `path`, or (nil) kept for stdout after exit.
    case saved(path: String?, data: Data)
    /// Nothing was written (`path` nil: for stdout): the item is gone, the file refused, an I/O error.
    case saveFailed(path: String?, message: String)
    /// The file exists: ask before replacing it.
    case saveWouldReplace(SaveRequest, size: Int)
    /// Progress of the running sync.
    case syncEvent(SyncEvent)
    /// The sync ended (done, failed in part, or cancelled).
    case syncEnded(SyncSummary)
    /// The sync could not start (unknown project or app, a store error).
    case syncFailed(message: String)
    /// A delete target's count, for the confirmation dialog.
    case deleteCounted(DeleteTarget)
    /// `changed`: items kept because another writer rewrote them after they were shown.
    case deleted(DeleteTarget, count: Int, changed: Int = 0)
    case deleteFailed(DeleteTarget, message: String)
    /// What `u` did.
    case undone(UndoOutcome)
    /// `u` restored nothing: the store refused or failed (the delete stays undoable).
    case undoFailed(message: String)
    /// The search `id` ended: the line of its hit (nil: none) and that line's path.
    case searchFinished(id: Int, line: Int?, path: String?)
    /// The value `y` asked for, compacted (or measured, when too large for the clipboard).
    case valueCopied(path: String, value: CompactValue)
    /// The store's change token, read by the watcher; a new value means another write landed.
    case storeChanged(token: Int)
    /// `r` found the store's file replaced and opened the new one.
    case storeReopened
    /// The watcher cannot read the store (gone, replaced, corrupt): say so, keep what is shown.
    case storeUnavailable(message: String)
    /// A hot standby's lag changed (read by the watcher beside the change token).
    case standbyChanged(StandbyStatus?)
    /// The doctor's run `generation` is done.
    case doctorFinished(generation: Int, report: DoctorReport)
    /// The doctor's run `generation` could not check the store.
    case doctorFailed(generation: Int, message: String)
    /// The versions `H` asked for (request `generation`).
    case versionsLoaded(generation: Int, listing: VersionListing)
    case versionsFailed(generation: Int, message: String)
    /// The diff `Enter` asked for in the version list.
    case diffLoaded(generation: Int, lines: DiffLines)
    case diffFailed(generation: Int, message: String)
    /// Where a looked-up item is now; nil when the store no longer has it.
    case itemLocated(ItemLookup, ItemLocation?)
    /// The lookup could not read the store.
    case itemLookupFailed(ItemLookup, message: String)
    /// The audit trail, newest first.
    case auditLoaded(generation: Int, entries: [AuditEntry])
    /// The audit trail could not be read (the store keeps none, a store error).
    case auditFailed(generation: Int, message: String)
}
