import Foundation
import SodarCache
import StoreKernel

/// Work `update` asks for; the runtime's `EffectRunner` does it off the main thread and answers with messages.
public enum BrowserEffect: Sendable, Hashable {
    /// `r`: reopen the store when its file was replaced (a `ReopeningSource`), before reloading.
    case reopenIfReplaced
    case loadTotals
    /// Read the store's change token now and report it (`.storeChanged`). The loop asks for it
    /// before the first pages when it watches the store, so the watcher, started once the first
    /// frame is drawn, compares against a token read before the lists were.
    case readChangeToken
    /// A page of the projects, a project's apps or an app's items (`limit` rows at most).
    case loadPage(generation: Int, request: PageRequest, limit: Int)
    /// Load the item and build its document.
    case loadPayload(generation: Int, uuid: UUID)
    /// Read the item again, pretty-print its JSON and write it to the request's file (asking
    /// before replacing one), or hand it back for stdout after exit.
    case saveJSON(SaveRequest)
    /// Work out the compact JSON of a value for the clipboard (answered by `.valueCopied`).
    case copyValue(CopyRequest)
    /// Send text to the terminal's clipboard (OSC 52). The terminal does this one itself, on
    /// the UI thread between frames; the runner ignores it.
    case clipboard(Data)
    /// Run a sync in the background.
    case sync(SyncRequest)
    /// Cancel the running sync.
    case cancelSync
    /// Count what a delete would take, then ask (`deleteCounted`).
    case countForDelete(DeleteTarget)
    /// Delete, in one transaction.
    case delete(DeleteTarget)
    /// `u`: restore the newest of this session's deletes not undone yet (`undone`).
    case undoDelete
    /// Search the payload off the UI loop (a newer search cancels this one).
    case search(PayloadSearch)
    /// Stop the running search.
    case cancelSearch
    /// Reload the open item when it changed or went away (live refresh; no spinner).
    case refreshPayload(generation: Int, uuid: UUID, modified: Date)
    /// Run the doctor over the store (`!`), answered by `.doctorFinished` or `.doctorFailed`.
    case runDoctor(DoctorRequest)
    /// `H`: list an item's versions (history and trash), answered by `.versionsLoaded`.
    case loadVersions(generation: Int, item: ItemSummary)
    /// Diff a version against the current payload, answered by `.diffLoaded` (a newer diff
    /// stops this one).
    case loadDiff(DiffRequest)
    /// Stop the running diff: the user left it (its answer would be dropped anyway).
    case cancelDiff
    /// `P`: a dry run of a sync, cancellable as a sync is; its events and end come back as a
    /// sync's do (`.syncEvent`, `.syncEnded` with `dryRun` set).
    case previewSync(SyncRequest)
    /// Find an item by project, app and name (`.itemLocated`).
    case locateItem(ItemLookup)
    /// Read the audit trail (`.auditLoaded` or `.auditFailed`).
    case loadAudit(AuditRequest)
    case quit

    /// Which queue slot the effect takes: a newer request of the same kind makes older,
    /// not yet started ones pointless.
    public var coalescingKey: String? {
        switch self {
        case .loadPage(_, let request, _):
            guard request.restartsList else { return nil }
            switch request.pane {
            case .projects: return "projects"
            case .apps: return "apps"
            default: return "items"
            }
        case .loadPayload, .refreshPayload: return "payload"
        case .loadVersions: return "versions"
        case .loadDiff: return "diff"
        default: return nil
        }
    }
}
