import CacheBrowser
import CacheBrowserRuntime
import Foundation
import SodarCache
import SodarCacheSync
import StoreKernel

/// `StoreActions` over a `FakeSource`: deletes remove items (and `u` puts them back); a sync
/// plays a script of events and writes the given items.
final class FakeActions: StoreActions, Sendable {
    let source: FakeSource
    private let state = Locked(
        (script: [SyncEvent](), syncWrites: [CacheItem](), requests: [SyncRequest](), changes: [SyncUnitChanges](), previews: [SyncRequest]()))
    /// Each delete's items, oldest delete first, for `u` (the id of a delete: its place + 1).
    private let deletes = Locked((made: [[CacheItem]](), undone: Set<Int>()))

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

    /// What each unit changed (a sync) or would change (a preview): the summary's `changes`.
    var changes: [SyncUnitChanges] {
        get { state.withLock { $0.changes } }
        set { state.withLock { $0.changes = newValue } }
    }

    /// The previews asked for (`P`), which write nothing.
    var previews: [SyncRequest] { state.withLock { $0.previews } }

    init(source: FakeSource) {
        self.source = source
    }

    func sync(_ request: SyncRequest, cancel: SyncCancellation, events: @escaping @Sendable (SyncEvent) -> Void) throws
        -> SyncSummary
    {
        state.withLock { $0.requests.append(request) }
        for item in syncWrites { source.put(item) }
        var summary = SyncSummary()
        summary.changes = changes
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

    /// Plays the script as a sync does, writes nothing, and reports `changes`.
    func previewSync(_ request: SyncRequest, cancel: SyncCancellation, events: @escaping @Sendable (SyncEvent) -> Void) throws
        -> SyncSummary
    {
        state.withLock { $0.previews.append(request) }
        var summary = SyncSummary()
        summary.dryRun = true
        summary.changes = changes
        for event in script {
            events(event)
            switch event {
            case .planned(let total): summary.total = total
            case .finished: summary.succeeded += 1
            case .failed(let app, let project, let failure):
                summary.failed += 1
                summary.failures.append(SyncSummary.Failure(app: app, project: project, failure: failure))
            default: break
            }
        }
        return summary
    }

    func deleteItems(uuids: [UUID]) throws -> Int {
        let hits = source.allItems.filter { uuids.contains($0.uuid) }
        remove(hits)
        return hits.count
    }

    func deleteItems(shown: [UUID: ShownItem]) throws -> (deleted: Int, changed: Int) {
        var hits: [CacheItem] = [], changed = 0
        for item in source.allItems {
            guard let seen = shown[item.uuid] else { continue }
            if item.dateModified <= seen.dateModified {
                hits.append(item)
            } else {
                changed += 1
            }
        }
        remove(hits)
        return (hits.count, changed)
    }

    /// Removes items as one delete that `u` can take back.
    private func remove(_ items: [CacheItem]) {
        for item in items { source.remove(uuid: item.uuid) }
        if !items.isEmpty { deletes.withLock { $0.made.append(items) } }
    }

    /// Puts the newest delete not undone back, skipping an item whose name was written since.
    func undoLastDelete() throws -> UndoOutcome {
        let last = deletes.withLock { deletes in
            deletes.made.indices.last { !deletes.undone.contains($0) }.map { ($0, deletes.made[$0]) }
        }
        guard let (index, items) = last else { return .nothingLeft }
        deletes.withLock { _ = $0.undone.insert(index) }
        let entry = Int64(index + 1)
        var restored: [TrashedItem] = [], skipped: [RestoreReport.Skipped] = []
        let present = source.allItems
        for item in items {
            let trashed = TrashedItem(
                entry: entry, uuid: item.uuid, project: item.project, appName: item.appName, name: item.name,
                user: item.user, dateModified: item.dateModified, data: item.data)
            if let newer = present.first(where: { ($0.project, $0.appName, $0.name) == (item.project, item.appName, item.name) }) {
                skipped.append(RestoreReport.Skipped(item: trashed, reason: .newerItem(newer.dateModified)))
            } else {
                source.put(item)
                restored.append(trashed)
            }
        }
        return .restored(entry: entry, report: RestoreReport(restored: restored, skipped: skipped))
    }

    func subtree(of category: UUID) throws -> [UUID] {
        ProjectTree.subtree(of: category, in: try source.allProjects())
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
        remove(hits)
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
