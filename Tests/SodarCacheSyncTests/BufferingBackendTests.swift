import Foundation
import SodarCache
import Testing

@testable import SodarCacheSync

/// What a plugin sees through a sync unit's buffer: its own deletes and writes over the store,
/// landing together at the end.
@Suite("Sync buffer")
struct BufferingBackendTests {
    @Test("deletes hide stored items until a later write in the unit brings one back")
    func deleteOverlay() throws {
        let project = Project(title: "P")
        let store = MemoryStore(projects: [project])
        for name in ["a", "b"] {
            try store.setCacheItem(appName: "app", name: name, data: Data("[0]".utf8), project: project.uuid)
        }
        try store.setCacheItem(appName: "cmd", name: "c", data: Data("[0]".utf8), project: project.uuid)
        let buffer = BufferingBackend(base: store)
        try buffer.deleteCacheItem(appName: "app", name: "a", project: project.uuid)
        #expect(try buffer.getCacheItem(appName: "app", name: "a", project: project.uuid) == nil)
        #expect(try buffer.getProjectCache(project: project.uuid).map(\.name) == ["b", "c"])
        _ = try buffer.deleteCache(appName: "app", project: project.uuid)
        #expect(try buffer.getProjectCache(project: project.uuid).map(\.name) == ["c"])
        try buffer.setCacheItem(appName: "app", name: "a", data: Data("[1]".utf8), project: project.uuid, user: nil)
        #expect(try buffer.getCacheItem(appName: "app", name: "a", project: project.uuid)?.data == Data("[1]".utf8))
        #expect(try buffer.getProjectCache(project: project.uuid).map(\.name) == ["a", "c"])
        // Nothing reached the store yet; then all of it at once.
        #expect(try store.getProjectCache(project: project.uuid).map(\.name) == ["a", "b", "c"])
        let before = store.transactionCount
        #expect(try buffer.commit() == 1)
        #expect(store.transactionCount == before + 1)
        #expect(try store.getProjectCache(project: project.uuid).map { "\($0.name)=\(String(decoding: $0.data, as: UTF8.self))" }
            == ["a=[1]", "c=[0]"])
    }

    @Test("names that Swift calls equal but the store keeps apart (composed and decomposed accents) are two writes")
    func canonicallyEqualNamesAreTwoWrites() throws {
        let store = MemoryStore()
        let buffer = BufferingBackend(base: store)
        let composed = "caf\u{E9}", decomposed = "cafe\u{301}"
        try buffer.setCacheItem(appName: "app", name: composed, data: Data("1".utf8), project: nil, user: nil)
        try buffer.setCacheItem(appName: "app", name: decomposed, data: Data("2".utf8), project: nil, user: nil)
        #expect(try buffer.getCacheItem(appName: "app", name: composed, project: nil)?.data == Data("1".utf8))
        #expect(try buffer.getCacheItem(appName: "app", name: decomposed, project: nil)?.data == Data("2".utf8))
        #expect(try buffer.getProjectCache(project: nil).count == 2)
        #expect(try buffer.commit() == 2)
        #expect(Set(try store.getProjectCache(project: nil).map { Array($0.name.utf8) }) == [Array(composed.utf8), Array(decomposed.utf8)])
    }

    @Test("a bad write is refused at once, not at the end")
    func checksEarly() throws {
        let buffer = BufferingBackend(base: MemoryStore())
        #expect(throws: CacheError.self) { try buffer.setCacheItem(appName: "app", name: " ", data: Data("{}".utf8), project: nil, user: nil) }
        #expect(throws: CacheError.self) { try buffer.setCacheItem(appName: "app", name: "x", data: Data("{".utf8), project: nil, user: nil) }
        #expect(try buffer.commit() == 0)
    }
}
