import Foundation
import SodarCache

// MARK: - What a sync unit's writes replace

extension StoreEngine {
    /// Reads first, then commits: two transactions, for an engine that cannot do both in one
    /// (another writer may land between them).
    public func commit(
        deleting: [CacheDeletion], writing: [CacheWrite], now: Date, reading: [ItemScope]
    ) throws -> (deleted: Int, before: [StoredPayload]) {
        let before = try payloads(in: reading)
        return (try commit(deleting: deleting, writing: writing, now: now), before)
    }

    /// From each scope's project's items (every app's payloads read): for an engine with no
    /// read of its own.
    public func payloads(in scopes: [ItemScope]) throws -> [StoredPayload] {
        var found: [StoredPayload] = []
        for (project, apps) in Dictionary(grouping: Set(scopes), by: \.project) {
            let wanted = Set(apps.map(\.app))
            for item in try getProjectCache(project: project, dataType: "json") where wanted.contains(item.appName) {
                found.append(StoredPayload(project: project, app: item.appName, name: item.name, data: item.data))
            }
        }
        return found
    }

    /// `commitBatch(deleting:writing:)`, validated the same way, which also returns the
    /// payloads of `reading` as they stood just before (read in the batch's own transaction
    /// where the engine can). A batch with nothing to do reads them alone.
    /// - Returns: the number of items written, and the payloads read.
    public func commitBatch(
        deleting: [CacheDeletion], writing: [CacheWrite], reading: [ItemScope]
    ) throws -> (written: Int, before: [StoredPayload]) {
        try writeRules.check(writing)
        if deleting.isEmpty && writing.isEmpty { return (0, try payloads(in: reading)) }
        let (_, before) = try commit(deleting: deleting, writing: writing, now: stamp(), reading: reading)
        return (writing.count, before)
    }
}
