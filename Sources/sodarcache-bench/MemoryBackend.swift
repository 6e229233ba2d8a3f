import Foundation
import SodarCache

/// Keeps a plugin's writes in memory, so that a figure is the plugin's own work, not a store's.
final class MemoryBackend: CacheBackend, Sendable {
    private let writesBox = Locked<[CacheWrite]>([])

    /// Everything written, in order.
    var writes: [CacheWrite] { writesBox.withLock { $0 } }

    func setCacheItem(appName: String, name: String, data: Data, dataType: String, project: UUID?, user: User?) throws -> CacheItem {
        try setCacheItems([CacheWrite(appName: appName, name: name, data: data, project: project, user: user)])
        return CacheItem(uuid: UUID(), project: project, appName: appName, name: name, user: user, data: data, dateModified: Date())
    }

    @discardableResult
    func setCacheItems(_ writes: [CacheWrite]) throws -> Int {
        writesBox.withLock { $0 += writes }
        return writes.count
    }

    func getCacheItem(appName: String, name: String, project: UUID?) throws -> CacheItem? { nil }
    func getUpdateTime(appName: String, name: String, project: UUID?) throws -> Double? { nil }
    func getProjectCache(project: UUID?, dataType: String) throws -> [CacheItem] { [] }
    func deleteCache(appName: String?, project: UUID?) throws -> Int { 0 }
    func deleteCacheItem(appName: String, name: String, project: UUID?) throws {}
}
