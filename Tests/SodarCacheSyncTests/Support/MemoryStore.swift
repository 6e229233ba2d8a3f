import Foundation
import SodarCache

/// An in-memory `CacheBackend & ProjectDirectory` that records its transactions, so engine and
/// plugin tests need no SQLite.
final class MemoryStore: CacheBackend, ProjectDirectory, @unchecked Sendable {
    struct Key: Hashable {
        var project: UUID?
        var app: String
        var name: String
    }

    private let lock = NSLock()
    private var items: [Key: CacheItem] = [:]
    private var projects: [UUID: Project] = [:]
    private var order: [UUID] = []
    private(set) var transactions: [[CacheWrite]] = []
    /// Registered app names; nil accepts any.
    var apps: Set<String>?

    init(apps: Set<String>? = nil) {
        self.apps = apps
    }

    private func locked<R>(_ body: () throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    var transactionCount: Int { locked { transactions.count } }
    var allItems: [CacheItem] { locked { Array(items.values) } }

    // MARK: - CacheBackend

    func setCacheItem(appName: String, name: String, data: Data, dataType: String, project: UUID?, user: User?) throws -> CacheItem {
        try setCacheItems([CacheWrite(appName: appName, name: name, data: data, dataType: dataType, project: project, user: user)])
        return try getCacheItem(appName: appName, name: name, project: project) ?? CacheItem(
            uuid: UUID(), project: project, appName: appName, name: name, user: user, data: data, dateModified: Date())
    }

    @discardableResult
    func setCacheItems(_ writes: [CacheWrite]) throws -> Int {
        try locked {
            for write in writes {
                if let apps, !apps.contains(write.appName) { throw CacheError.unknownApp(write.appName, known: apps.sorted()) }
                guard write.dataType == "json" else { throw CacheError.unsupportedDataType(write.dataType) }
            }
            transactions.append(writes)
            for write in writes {
                let key = Key(project: write.project, app: write.appName, name: write.name)
                let old = items[key]
                items[key] = CacheItem(
                    uuid: old?.uuid ?? UUID(), project: write.project, appName: write.appName, name: write.name,
                    user: write.user ?? old?.user, data: write.data, dateModified: Date())
            }
            return writes.count
        }
    }

    func getCacheItem(appName: String, name: String, project: UUID?) throws -> CacheItem? {
        locked { items[Key(project: project, app: appName, name: name)] }
    }

    func getUpdateTime(appName: String, name: String, project: UUID?) throws -> Double? {
        locked { items[Key(project: project, app: appName, name: name)]?.dateModified.timeIntervalSince1970 }
    }

    func getProjectCache(project: UUID?, dataType: String) throws -> [CacheItem] {
        locked { items.values.filter { $0.project == project }.sorted { ($0.appName, $0.name) < ($1.appName, $1.name) } }
    }

    func deleteCache(appName: String?, project: UUID?) throws -> Int {
        locked {
            let keys = items.keys.filter { (appName == nil || $0.app == appName) && (project == nil || $0.project == project) }
            for key in keys { items[key] = nil }
            return keys.count
        }
    }

    func deleteCacheItem(appName: String, name: String, project: UUID?) throws {
        locked { items[Key(project: project, app: appName, name: name)] = nil }
    }

    // MARK: - ProjectDirectory

    @discardableResult
    func addProject(_ project: Project) throws -> Project {
        try locked {
            guard projects[project.uuid] == nil else { throw CacheError.invalidArgument("taken: \(project.uuid)") }
            projects[project.uuid] = project
            order.append(project.uuid)
            return project
        }
    }

    @discardableResult
    func updateProject(_ project: Project) throws -> Project {
        try locked {
            guard projects[project.uuid] != nil else { throw CacheError.projectNotFound(project.uuid.sodarString) }
            projects[project.uuid] = project
            return project
        }
    }

    func importProjects(_ list: [Project]) throws -> (created: Int, updated: Int) {
        var created = 0
        var updated = 0
        for project in list {
            if try self.project(uuid: project.uuid) == nil {
                try addProject(project)
                created += 1
            } else {
                try updateProject(project)
                updated += 1
            }
        }
        return (created, updated)
    }

    func project(uuid: UUID) throws -> Project? { locked { projects[uuid] } }

    func allProjects() throws -> [Project] { locked { order.compactMap { projects[$0] } } }
}
