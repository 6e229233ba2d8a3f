import CacheBrowser
import Foundation
import SodarCache
import SodarCacheSync
import StoreKernel

/// `StoreActions` over a store and the sync engine, retrying writes the store reports busy
/// so a concurrent writer shows up as a short wait, not as an error.
public struct EngineStoreActions: StoreActions {
    let engine: SyncEngine
    let maintenance: any CacheMaintenance & ProjectDirectory
    /// The store's trash as it is now (a reopened file brings its own), nil where it keeps none.
    let trash: @Sendable () -> (any TrashKeeping)?
    /// Pauses between attempts on a busy store (on top of the store's own busy timeout).
    let retryDelays: [TimeInterval]
    /// The trash entries of the deletes made through these actions and not undone yet, oldest
    /// first: `u` takes the last. Only these: a sync's deletes are not the browser's to undo.
    private let undoable = Locked<[Int64]>([])
    /// Syncs running now (`s`, `S`): while one is, a trash entry that appears during a delete
    /// may be the sync's (it deletes the items a plugin no longer writes).
    let syncsRunning = Locked(0)

    /// - Parameters:
    ///   - engine: runs `s` and `S`.
    ///   - maintenance: deletes and counts.
    ///   - trash: the store's trash, read at each use (nil: deletes cannot be undone).
    ///   - retryDelays: waits before each retry of a write the store reported busy.
    public init(
        engine: SyncEngine, maintenance: any CacheMaintenance & ProjectDirectory,
        trash: @escaping @Sendable () -> (any TrashKeeping)?, retryDelays: [TimeInterval] = [0.2, 0.5, 1, 2]
    ) {
        self.engine = engine
        self.maintenance = maintenance
        self.trash = trash
        self.retryDelays = retryDelays
    }

    public func sync(
        _ request: SyncRequest, cancel: SyncCancellation, events: @escaping @Sendable (SyncEvent) -> Void
    ) throws -> SyncSummary {
        syncsRunning.withLock { $0 += 1 }
        defer { syncsRunning.withLock { $0 -= 1 } }
        let summary = try retryingBusy { try engine.run(request, cancel: cancel, events: events) }
        // Recorded as `synccache` records its runs: the audit pane and the metrics see it.
        SyncAudit.record(
            summary, in: (maintenance as? any StoreEngine)?.audit, project: request.project,
            apps: engine.plugins.map(\.name).filter { request.app == nil || $0 == request.app })
        return summary
    }

    public func previewSync(
        _ request: SyncRequest, cancel: SyncCancellation, events: @escaping @Sendable (SyncEvent) -> Void
    ) throws -> SyncSummary {
        try retryingBusy { try engine.run(request, dryRun: true, cancel: cancel, events: events) }
    }

    public func deleteItems(uuids: [UUID]) throws -> Int {
        let wanted = Set(uuids)
        return try notingDeletes(of: { wanted.contains($0.uuid) }) { try retryingBusy { try maintenance.deleteItems(uuids: uuids) } }
    }

    public func deleteItems(shown: [UUID: ShownItem]) throws -> (deleted: Int, changed: Int) {
        try notingDeletes(of: { shown[$0.uuid] != nil }) { try retryingBusy { try maintenance.deleteItems(shown: shown) } }
    }

    public func deleteItems(matching filter: CacheFilter) throws -> Int {
        try notingDeletes(of: { item in
            let inScope: Bool
            switch filter.scope {
            case .all: inScope = true
            case .site: inScope = item.project == nil
            case .project(let uuid): inScope = item.project == uuid
            }
            return inScope && (filter.appName.map { $0 == item.appName } ?? true)
                && !(filter.appNotIn?.contains(item.appName) ?? false)
        }) { try retryingBusy { try maintenance.deleteItems(matching: filter) } }
    }

    public func countItems(matching filter: CacheFilter) throws -> Int {
        try retryingBusy { try maintenance.countItems(matching: filter).values.reduce(0, +) }
    }

    public func items(matching filter: CacheFilter, limit: Int) throws -> [ItemSummary] {
        try retryingBusy { try maintenance.items(matching: filter, after: nil, limit: limit) }
    }

    public func subtree(of category: UUID) throws -> [UUID] {
        ProjectTree.subtree(of: category, in: try maintenance.allProjects())
    }

    public func undoLastDelete() throws -> UndoOutcome {
        guard let entry = undoable.withLock({ $0.last }) else { return .nothingLeft }
        // The store keeps the deletes this instance of it made: one of ours missing there was
        // made in a file `r` has since replaced, as were all before it.
        guard let trash = trash(), trash.deletesThisSession.contains(entry) else {
            let current = Set(trash()?.deletesThisSession ?? [])
            undoable.withLock { $0.removeAll { !current.contains($0) } }
            return .storeReplaced(entry: entry)
        }
        guard try retryingBusy({ try trash.trashEntry(id: entry) }) != nil else {
            undoable.withLock { $0.removeAll { $0 == entry } }
            return .purged(entry: entry)
        }
        // A restore that throws leaves the delete where it was: `u` again tries it again.
        let report = try retryingBusy { try trash.restore(entries: [entry]) }
        undoable.withLock { $0.removeAll { $0 == entry } }
        return .restored(entry: entry, report: report)
    }

    /// Runs a delete and notes the trash entries it made: those the store's list of this
    /// session's deletes gained meanwhile. While a sync runs, an entry that appeared may be
    /// the sync's (the store does not say which call made it): then only the entries holding
    /// an item `ours` says this delete took are noted, so that `u` never brings back what a
    /// sync removed on purpose.
    func notingDeletes<T>(of ours: @escaping (TrashedItem) -> Bool, _ body: () throws -> T) throws -> T {
        let before = Set(trash()?.deletesThisSession ?? [])
        let syncing = syncsRunning.withLock { $0 } > 0
        // Also when it throws: an error after the commit must not leave its entry unnoted.
        defer {
            var made = (trash()?.deletesThisSession ?? []).filter { !before.contains($0) }
            if !made.isEmpty, syncing || syncsRunning.withLock({ $0 }) > 0, let trash = trash() {
                made = made.filter { entry in (try? trash.trashedItems(entry: entry).contains(where: ours)) ?? false }
            }
            if !made.isEmpty { undoable.withLock { $0 += made } }
        }
        return try body()
    }

    /// Runs `body`, again after each delay while the store says it is busy; the last error surfaces.
    func retryingBusy<T>(_ body: () throws -> T) throws -> T {
        var delays = retryDelays[...]
        while true {
            do {
                return try body()
            } catch CacheError.storeBusy(let location, let reason) {
                guard let delay = delays.popFirst() else { throw CacheError.storeBusy(location: location, reason: reason) }
                Thread.sleep(forTimeInterval: delay)
            }
        }
    }
}
