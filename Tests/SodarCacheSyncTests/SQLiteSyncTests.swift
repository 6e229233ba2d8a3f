import Foundation
import Logging
import SodarCache
import SodarCacheSQLite
import StoreKernel
import Testing

@testable import SodarCacheSync

@Suite("Sync into the SQLite store")
struct SQLiteSyncTests {
    @Test("1,000 projects with 4 jobs: every item written exactly once, per project")
    func thousandProjects() throws {
        let dir = try TempDir()
        let store = try SQLiteCacheStore(path: dir.path + "/cache.sqlite3", registeredApps: ["counter", "filestats"])
        var projects: [Project] = []
        for i in 0..<1000 {
            projects.append(Project(title: "P\(i)"))
        }
        _ = try store.importProjects(projects)
        let calls = Locked<[UUID: Int]>([:])
        let plugin = ClosurePlugin(name: "counter") { _, project, cache in
            guard let project else { return }
            calls.withLock { $0[project.uuid, default: 0] += 1 }
            try cache.setCacheItem(appName: "counter", name: "a", data: Data("{\"n\": 1}".utf8), project: project.uuid)
            try cache.setCacheItem(appName: "counter", name: "b", data: Data("[\"\(project.title)\"]".utf8), project: project.uuid)
        }
        let summary = try SyncEngine(store: store, plugins: [plugin, FileStatsPlugin()], jobs: 4, logger: Logger(label: "test"))
            .run(SyncRequest(), cancel: SyncCancellation()) { _ in }
        #expect(summary.total == 2000)
        #expect(summary.succeeded == 2000)
        #expect(summary.itemsWritten == 2000)
        #expect(calls.withLock { $0.count == 1000 && $0.values.allSatisfy { $0 == 1 } })
        let counts = try store.countItems(matching: CacheFilter())
        #expect(counts == ["counter": 2000])
        let sample = try #require(try store.getCacheItem(appName: "counter", name: "b", project: projects[417].uuid))
        #expect(String(decoding: sample.data, as: UTF8.self) == "[\"P417\"]")
    }
}

@Suite("Sync of a category")
struct CategorySyncTests {
    @Test("syncing a category syncs every project beneath it and writes nothing onto a category")
    func categoryMeansItsProjects() throws {
        let dir = try TempDir()
        let store = try SQLiteCacheStore(path: dir.path + "/cache.sqlite3", registeredApps: ["app"])
        let top = try store.addProject(Project(title: "Top", type: .category))
        let inner = try store.addProject(Project(title: "Inner", type: .category, parent: top.uuid))
        let a = try store.addProject(Project(title: "A", parent: top.uuid))
        let b = try store.addProject(Project(title: "B", parent: inner.uuid))
        let outside = try store.addProject(Project(title: "Outside"))
        let plugin = ClosurePlugin(name: "app") { _, project, cache in
            try cache.setCacheItem(appName: "app", name: "x", data: Data("{}".utf8), project: project?.uuid)
        }
        let engine = SyncEngine(store: store, plugins: [plugin], jobs: 2, logger: Logger(label: "test"))
        let planned = try engine.plan(SyncRequest(project: top.uuid)).compactMap { $0.project?.uuid }
        #expect(planned == [a.uuid, b.uuid])
        let summary = try engine.run(SyncRequest(project: top.uuid), cancel: SyncCancellation()) { _ in }
        #expect(summary.succeeded == 2)
        for project in [a, b] {
            #expect(try store.getCacheItem(appName: "app", name: "x", project: project.uuid) != nil)
        }
        for project in [top, inner, outside] {
            #expect(try store.getCacheItem(appName: "app", name: "x", project: project.uuid) == nil)
        }
        // An empty category plans nothing and writes nothing.
        let empty = try store.addProject(Project(title: "Empty", type: .category))
        #expect(try engine.plan(SyncRequest(project: empty.uuid)).isEmpty)
        #expect(SyncMessages.limitingSync(to: top).hasPrefix("Limiting sync to category \"Top\""))
    }
}
