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
    /// Pauses between attempts on a busy store (on top of the store's own busy timeout).
    let retryDelays: [TimeInterval]

    /// - Parameters:
    ///   - engine: runs `s` and `S`.
    ///   - maintenance: deletes and counts.
    ///   - retryDelays: waits before each retry of a write the store reported busy.
    public init(engine: SyncEngine, maintenance: any CacheMaintenance & ProjectDirectory, retryDelays: [TimeInterval] = [0.2, 0.5, 1, 2]) {
        self.engine = engine
        self.maintenance = maintenance
        self.retryDelays = retryDelays
    }

    public func sync(
        _ request: SyncRequest, cancel: SyncCancellation, events: @escaping @Sendable (SyncEvent) -> Void
    ) throws -> SyncSummary {
        try retryingBusy { try engine.run(request, cancel: cancel, events: events) }
    }

    public func deleteItems(uuids: [UUID]) throws -> Int {
        try retryingBusy { try maintenance.deleteItems(uuids: uuids) }
    }

    public func deleteItems(shown: [UUID: ShownItem]) throws -> (deleted: Int, changed: Int) {
        try retryingBusy { try maintenance.deleteItems(shown: shown) }
    }

    public func deleteItems(matching filter: CacheFilter) throws -> Int {
        try retryingBusy { try maintenance.deleteItems(matching: filter) }
    }

    public func countItems(matching filter: CacheFilter) throws -> Int {
        try retryingBusy { try maintenance.countItems(matching: filter).values.reduce(0, +) }
    }

    public func items(matching filter: CacheFilter, limit: Int) throws -> [ItemSummary] {
        try retryingBusy { try maintenance.items(matching: filter, after: nil, limit: limit) }
    }

    public func subtree(of category: UUID) throws -> [UUID] {
        DeleteCache.subtree(of: category, in: try maintenance.allProjects())
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
