import Foundation
import SodarCache
import StoreKernel

/// Work `update` asks for; the runtime's `EffectRunner` does it off the main thread and answers with messages.
public enum BrowserEffect: Sendable, Hashable {
    /// `r`: reopen the store when its file was replaced (a `ReopeningSource`), before reloading.
    case reopenIfReplaced
    case loadTotals
    case loadProjects(generation: Int, after: ProjectSummary?, limit: Int, query: ProjectQuery)
    case loadApps(generation: Int, project: UUID?, after: AppSummary?, limit: Int, filter: String?)
    case loadItems(
        generation: Int, project: UUID?, app: String?, sort: ItemSort, after: ItemSummary?, limit: Int,
        filter: String?)
    /// The page just before `before` (nil: the list's last page), by reverse keyset: `G`/`End`
    /// and paging up from there.
    case loadProjectsBefore(generation: Int, before: ProjectSummary?, limit: Int, query: ProjectQuery)
    case loadAppsBefore(generation: Int, project: UUID?, before: AppSummary?, limit: Int, filter: String?)
    case loadItemsBefore(
        generation: Int, project: UUID?, app: String?, sort: ItemSort, before: ItemSummary?, limit: Int,
        filter: String?)
    /// The projects around `anchor` (half a page before it, a page from it on): a refresh of a
    /// list scrolled far down keeps its place.
    case loadProjectsAround(generation: Int, anchor: ProjectSummary, limit: Int, query: ProjectQuery)
    /// The rows around `anchor` in the `sort` order (half a page before it, a page from it on):
    /// `o` keeps the selected item selected wherever the new order puts it.
    case loadItemsAround(
        generation: Int, project: UUID?, app: String?, sort: ItemSort, anchor: ItemSummary, limit: Int, filter: String?)
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
    /// Search the payload off the UI loop (a newer search cancels this one).
    case search(PayloadSearch)
    /// Stop the running search.
    case cancelSearch
    /// Reload the open item when it changed or went away (live refresh; no spinner).
    case refreshPayload(generation: Int, uuid: UUID, modified: Date)
    case quit

    /// Which queue slot the effect takes: a newer request of the same kind makes older,
    /// not yet started ones pointless.
    public var coalescingKey: String? {
        switch self {
        case .loadProjects(_, let after, _, _): return after == nil ? "projects" : nil
        case .loadApps(_, _, let after, _, _): return after == nil ? "apps" : nil
        case .loadItems(_, _, _, _, let after, _, _): return after == nil ? "items" : nil
        case .loadProjectsBefore(_, let before, _, _): return before == nil ? "projects" : nil
        case .loadAppsBefore(_, _, let before, _, _): return before == nil ? "apps" : nil
        case .loadItemsBefore(_, _, _, _, let before, _, _): return before == nil ? "items" : nil
        case .loadItemsAround: return "items"
        case .loadProjectsAround: return "projects"
        case .loadPayload, .refreshPayload: return "payload"
        default: return nil
        }
    }
}
