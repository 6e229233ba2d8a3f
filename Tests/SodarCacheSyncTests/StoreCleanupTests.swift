import Foundation
import SodarCache
import SodarCacheSQLite
import StoreKernel
import Testing

/// Issue 13: items of apps no longer registered, deleting projects, giving space back.
@Suite("Store cleanup")
struct StoreCleanupTests {
    @Test("an app dropped from the config: its items are read and deleted, never written")
    func unregisteredApp() throws {
        let dir = try TempDir()
        let path = dir.path + "/cache.sqlite3"
        let before = try SQLiteCacheStore(path: path, registeredApps: ["oldapp"])
        let project = try before.addProject(Project(title: "P"))
        try before.setCacheItem(appName: "oldapp", name: "a", data: Data("{}".utf8), project: project.uuid)
        try before.setCacheItem(appName: "oldapp", name: "b", data: Data("[]".utf8))

        let store = try SQLiteCacheStore(path: path, registeredApps: ["filestats"])
        #expect(try store.getCacheItem(appName: "oldapp", name: "a", project: project.uuid)?.data == Data("{}".utf8))
        #expect(try store.getUpdateTime(appName: "oldapp", name: "b", project: nil) != nil)
        #expect(throws: CacheError.unknownApp("oldapp", known: ["filestats"])) {
            try store.setCacheItem(appName: "oldapp", name: "c", data: Data("{}".utf8))
        }
        try store.deleteCacheItem(appName: "oldapp", name: "a", project: project.uuid)
        #expect(try store.getCacheItem(appName: "oldapp", name: "a", project: project.uuid) == nil)
        #expect(try store.deleteCache(appName: "oldapp", project: nil) == 1)
    }

    @Test("project delete: refused with items (counted) or children, else one transaction")
    func deleteProject() throws {
        let dir = try TempDir()
        let store = try SQLiteCacheStore(path: dir.path + "/cache.sqlite3", registeredApps: ["app"])
        let category = try store.addProject(Project(title: "Cat", type: .category))
        let project = try store.addProject(Project(title: "P", parent: category.uuid))
        let other = try store.addProject(Project(title: "Q"))
        for name in ["a", "b"] {
            try store.setCacheItem(appName: "app", name: name, data: Data("{}".utf8), project: project.uuid)
        }
        try store.setCacheItem(appName: "app", name: "a", data: Data("{}".utf8), project: other.uuid)

        let withItems = try #require(throws: CacheError.self) { try store.deleteProject(uuid: project.uuid, withItems: false) }
        #expect(withItems.description.contains("has 2 cached items; pass --with-items"))
        let withChildren = try #require(throws: CacheError.self) { try store.deleteProject(uuid: category.uuid, withItems: true) }
        #expect(withChildren.description.contains("has 1 child project"))
        #expect(try store.allProjects().count == 3)

        #expect(try store.deleteProject(uuid: project.uuid, withItems: true) == 2)
        #expect(try store.project(uuid: project.uuid) == nil)
        #expect(try store.countItems(matching: CacheFilter()) == ["app": 1])
        #expect(try store.deleteProject(uuid: category.uuid, withItems: false) == 0)
        #expect(throws: CacheError.projectNotFound(project.uuid.sodarString)) {
            try store.deleteProject(uuid: project.uuid, withItems: true)
        }
        // The deleted project's row id is not reused for it: writes to it are refused.
        #expect(throws: CacheError.projectNotFound(project.uuid.sodarString)) {
            try store.setCacheItem(appName: "app", name: "x", data: Data("{}".utf8), project: project.uuid)
        }
    }

    @Test("vacuum gives the space of deleted items back, with a reader open")
    func vacuum() throws {
        let dir = try TempDir()
        let path = dir.path + "/cache.sqlite3"
        let store = try SQLiteCacheStore(path: path, registeredApps: ["app"])
        let payload = Data(("[" + Array(repeating: "\"0123456789abcdef\"", count: 500).joined(separator: ",") + "]").utf8)
        try store.setCacheItems((0..<400).map { CacheWrite(appName: "app", name: "n\($0)", data: payload) })
        let reader = try SQLiteCacheStore(path: path, registeredApps: ["app"], readOnly: true)
        #expect(try reader.countItems(matching: CacheFilter()) == ["app": 400])
        try store.deleteItems(matching: CacheFilter())
        let result = try store.reclaimSpace()
        #expect(result.bytesBefore > 3_000_000)
        #expect(result.bytesReclaimed > 3_000_000)
        #expect(result.complete)
        #expect(try reader.countItems(matching: CacheFilter()) == [:])
    }
}
