import CacheBrowser
import Foundation
import SodarCache
import StoreKernel

// Reads for the change list and the audit pane: an item by name, the audit trail.
extension EffectRunner {
    /// Rows read per page while looking for an item by name.
    static let lookupPage = 200

    /// Where the item named by project, app and name is now (nil: gone), with the categories
    /// above its project, for the browser to go there.
    static func locate(_ lookup: ItemLookup, source: any CacheBrowsing) -> BrowserMessage {
        do {
            // The filter is a substring: page through its matches for the exact name.
            var after: ItemSummary?
            var found: ItemSummary?
            while found == nil {
                let page = try source.itemPage(
                    project: lookup.project, app: lookup.app, sort: .name, after: after, limit: lookupPage, filter: lookup.name)
                found = page.first { $0.name == lookup.name && $0.appName == lookup.app }
                guard page.count == lookupPage, let last = page.last else { break }
                after = last
            }
            guard let item = found else { return .itemLocated(lookup, nil) }
            guard let uuid = lookup.project else {
                return .itemLocated(lookup, ItemLocation(project: nil, ancestors: [], item: item))
            }
            guard let project = try source.project(uuid: uuid) else { return .itemLocated(lookup, nil) }
            var ancestors: [UUID] = []
            var seen: Set<UUID> = [project.uuid]
            var parent = project.parent
            // A cycle in a corrupt tree ends the walk.
            while let next = parent, seen.insert(next).inserted, let above = try source.project(uuid: next) {
                ancestors.append(next)
                parent = above.parent
            }
            return .itemLocated(lookup, ItemLocation(project: project, ancestors: ancestors, item: item))
        } catch {
            return .itemLookupFailed(lookup, message: describe(error))
        }
    }

    /// The store's audit trail, newest first (on a SODAR site: this host's local store's).
    static func audit(_ request: AuditRequest, source: any CacheBrowsing) -> BrowserMessage {
        guard let audit = (source as? any StoreEngine)?.audit else {
            return .auditFailed(generation: request.generation, message: "this store keeps no audit trail")
        }
        do {
            return .auditLoaded(generation: request.generation, entries: try audit.auditEntries(since: nil, limit: request.limit))
        } catch {
            return .auditFailed(generation: request.generation, message: describe(error))
        }
    }
}
