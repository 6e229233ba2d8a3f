import CacheBrowser
import CacheBrowserRuntime
import Foundation
import SodarCache
import SodarCacheSync
import StoreKernel

/// `StoreActions` over a `FakeSource`: deletes remove items; a sync plays a script of
/// events and writes the given items.
final class FakeActions: StoreActions, Sendable {
    let source: FakeSource
    private let state = Locked((script: [SyncEvent](), syncWrites: [CacheItem](), requests: [SyncRequest]()))

    /// What a sync reports, in order (a `.finished` after its items were written).
    var script: [SyncEvent] {
        get { state.withLock { $0.script } }
        set { state.withLock { $0.script = newValue } }
    }

    /// Items a sync writes.
    var syncWrites: [CacheItem] {
        get { state.withLock { $0.syncWrites } }
        set { state.withLock { $0.syncWrites = newValue } }
    }

    var requests: [SyncRequest] { state.withLock { $0.requests } }

    init(source: FakeSource) {
        self.source = source
    }

    func sync(_ request: SyncRequest, cancel: SyncCancellation, events: @escaping @Sendable (SyncEvent) -> Void) throws
        -> SyncSummary
    {
        state.withLock { $0.requests.append(request) }
        for item in syncWrites { source.put(item) }
        var summary = SyncSummary()
        for event in script {
            events(event)
            switch event {
            case .planned(let total): summary.total = total
            case .finished(_, _, let written):
                summary.succeeded += 1
                summary.itemsWritten += written
            case .failed(let app, let project, let failure):
                summary.failed += 1
                summary.failures.append(SyncSummary.Failure(app: app, project: project, failure: failure))
            default: break
            }
        }
        return summary
    }

    func deleteItems(uuids: [UUID]) throws -> Int {
        let present = Set(source.allItems.map(\.uuid))
        let hits = uuids.filter(present.contains)
        for uuid in hits { source.remove(uuid: uuid) }
        return hits.count
    }

    func deleteItems(shown: [UUID: ShownItem]) throws -> (deleted: Int, changed: Int) {
        var deleted = 0, changed = 0
        for item in source.allItems {
            guard let seen = shown[item.uuid] else { continue }
            if item.dateModified <= seen.dateModified {
                source.remove(uuid: item.uuid)
                deleted += 1
            } else {
                changed += 1
            }
        }
        return (deleted, changed)
    }

    func subtree(of category: UUID) throws -> [UUID] {
        DeleteCache.subtree(of: category, in: try source.allProjects())
    }

    func matching(_ filter: CacheFilter) -> [CacheItem] {
        source.allItems.filter { item in
            switch filter.scope {
            case .all: break
            case .site: if item.project != nil { return false }
            case .project(let uuid): if item.project != uuid { return false }
            }
            if let app = filter.appName, item.appName != app { return false }
            if let date = filter.olderThan, item.dateModified >= date { return false }
            return true
        }
    }

    func deleteItems(matching filter: CacheFilter) throws -> Int {
        let hits = matching(filter)
        for item in hits { source.remove(uuid: item.uuid) }
        return hits.count
    }

    func countItems(matching filter: CacheFilter) throws -> Int {
        matching(filter).count
    }

    func items(matching filter: CacheFilter, limit: Int) throws -> [ItemSummary] {
        matching(filter).sorted { ($0.appName, $0.name) < ($1.appName, $1.name) }.prefix(limit).map {
            ItemSummary(
                uuid: $0.uuid, project: $0.project, appName: $0.appName, name: $0.name, user: $0.user?.username,
                dateModified: $0.dateModified, size: $0.size)
        }
    }
}
