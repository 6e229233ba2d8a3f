import Foundation
import SodarCache
import SodarCacheMemory

/// The in-memory store every sync test runs on: the same `MemoryCacheStore` the store contract
/// checks against SQLite and PostgreSQL, not a double of its own.
typealias MemoryStore = MemoryCacheStore

extension MemoryCacheStore {
    /// The apps the sync tests write for.
    static let testApps = ["a", "aaa", "app", "b", "bbb", "cmd", "counter", "filestats", "oldapp", "s", "site", "sodar"]

    /// A store with the tests' apps registered and, when given, `projects` in it.
    convenience init(projects: [Project] = []) {
        self.init(registeredApps: Self.testApps)
        for project in projects { _ = try? addProject(project) }
    }

    /// Each landed write batch: a sync unit's writes are one.
    var transactions: [[CacheWrite]] { writeBatches }
    var transactionCount: Int { writeBatches.count }
}
