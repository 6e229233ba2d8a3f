import Foundation
import SodarCache
import SodarCacheSync

/// Work `update` asks for; an `EffectRunner` does it off the main thread and answers with actions.
public enum BrowserEffect: Sendable, Hashable {
    case loadTotals
    case loadProjects(generation: Int, after: ProjectSummary?, limit: Int, filter: String?)
    case loadApps(generation: Int, project: UUID?, after: AppSummary?, limit: Int, filter: String?)
    case loadItems(
        generation: Int, project: UUID?, app: String?, sort: ItemSort, after: ItemSummary?, limit: Int,
        filter: String?)
    /// Load the item and build its document.
    case loadPayload(generation: Int, uuid: UUID)
    /// Pretty-print the JSON and write it to `path`, or (nil) hand it back for stdout after exit.
    case saveJSON(data: Data, path: String?)
    /// Run a sync in the background.
    case sync(SyncRequest)
    /// Cancel the running sync.
    case cancelSync
    /// Count what a delete would take, then ask (`deleteCounted`).
    case countForDelete(DeleteTarget)
    /// Delete, in one transaction.
    case delete(DeleteTarget)
    /// Reload the open item when it changed or went away (live refresh; no spinner).
    case refreshPayload(generation: Int, uuid: UUID, modified: Date)
    case quit

    /// Which queue slot the effect takes: a newer request of the same kind makes older,
    /// not yet started ones pointless.
    var coalescingKey: String? {
        switch self {
        case .loadProjects(_, let after, _, _): return after == nil ? "projects" : nil
        case .loadApps(_, _, let after, _, _): return after == nil ? "apps" : nil
        case .loadItems(_, _, _, _, let after, _, _): return after == nil ? "items" : nil
        case .loadPayload, .refreshPayload: return "payload"
        default: return nil
        }
    }
}
