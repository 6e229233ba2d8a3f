import Foundation
import Logging
import Testing
import SodarCache
@testable import SodarCacheStore

/// SODAR Core's sodarcache API test suite, reproduced, plus our two fixes.
@Suite struct CacheBackendTests {
    let fixture: StoreFixture
    let store: SQLiteCacheStore
    let project: Project
    let user = User(username: "owner", uuid: UUID())

    init() throws {
        fixture = try StoreFixture()
        store = fixture.store
        project = try fixture.makeProject()
    }

    func itemCount() throws -> Int { try store.totals().items }

    @Test func setCreatesOneItem() throws {
        let item = try store.setCacheItem(
            appName: "filesfolders", name: "test_item", data: json(#"{"test_key": "test_val"}"#),
            project: project.uuid, user: user)
        #expect(try itemCount() == 1)
        let stored = try #require(try store.getCacheItem(appName: "filesfolders", name: "test_item", project: project.uuid))
        #expect(stored == item)
        #expect(item.uuid.uuid.6 >> 4 == 7)  // time-ordered UUID (RFC 9562 version 7)
        #expect(item.uuid.uuid.8 >> 6 == 0b10)
        #expect(stored.user == user)
        #expect(String(decoding: stored.data, as: UTF8.self) == #"{"test_key": "test_val"}"#)
    }

    @Test func commitBatchIsAllOrNothing() throws {
        try store.setCacheItem(appName: "filesfolders", name: "old", data: json("{}"), project: project.uuid)
        // A write that fails inside the transaction (its project is unknown): the delete that
        // came with it must not land either.
        #expect(throws: CacheError.self) {
            try store.commitBatch(
                deleting: [.all(appName: "filesfolders", project: project.uuid)],
                writing: [CacheWrite(appName: "filesfolders", name: "new", data: json("{}"), project: UUID())])
        }
        #expect(try store.getCacheItem(appName: "filesfolders", name: "old", project: project.uuid) != nil)
        let written = try store.commitBatch(
            deleting: [.item(appName: "filesfolders", name: "old", project: project.uuid)],
            writing: [CacheWrite(appName: "filesfolders", name: "new", data: json("{}"), project: project.uuid)])
        #expect(written == 1)
        #expect(try store.getCacheItem(appName: "filesfolders", name: "old", project: project.uuid) == nil)
        #expect(try store.getCacheItem(appName: "filesfolders", name: "new", project: project.uuid) != nil)
    }

    @Test func setWithUnknownAppWritesNothing() throws {
        #expect(throws: CacheError.unknownApp("rubbish", known: StoreFixture.apps)) {
            try store.setCacheItem(appName: "rubbish", name: "x", data: json("{}"), project: project.uuid)
        }
        #expect(try itemCount() == 0)
    }

    @Test func setWithUnknownDataTypeWritesNothing() throws {
        #expect(throws: CacheError.unsupportedDataType("rubbish")) {
            try store.setCacheItem(
                appName: "filesfolders", name: "x", data: json("{}"), dataType: "rubbish", project: project.uuid)
        }
        #expect(try itemCount() == 0)
    }

    @Test func setWithInvalidJSONWritesNothing() throws {
        #expect {
            try store.setCacheItem(appName: "filesfolders", name: "x", data: json(#"{"a": }"#), project: project.uuid)
        } throws: { error in
            guard case CacheError.invalidJSON = error else { return false }
            return true
        }
        #expect(try itemCount() == 0)
    }

    @Test func setForUnknownProjectWritesNothing() throws {
        let unknown = UUID()
        #expect(throws: CacheError.projectNotFound(unknown.sodarString)) {
            try store.setCacheItem(appName: "filesfolders", name: "x", data: json("{}"), project: unknown)
        }
        #expect(try itemCount() == 0)
    }

    @Test func setAgainUpdatesTheSameItem() throws {
        let first = try store.setCacheItem(
            appName: "filesfolders", name: "test_item", data: json(#"{"test_key": "test_val"}"#),
            project: project.uuid, user: user)
        let second = try store.setCacheItem(
            appName: "filesfolders", name: "test_item", data: json(#"{"test_key": "test_val_updated"}"#),
            project: project.uuid, user: user)
        #expect(try itemCount() == 1)
        #expect(second.uuid == first.uuid)
        #expect(second.dateModified >= first.dateModified)
        let stored = try #require(try store.getCacheItem(appName: "filesfolders", name: "test_item", project: project.uuid))
        #expect(String(decoding: stored.data, as: UTF8.self) == #"{"test_key": "test_val_updated"}"#)
        #expect(stored.uuid == first.uuid)
    }

    @Test func updateWithoutUserKeepsTheUser() throws {
        try store.setCacheItem(
            appName: "filesfolders", name: "test_item", data: json("[1]"), project: project.uuid, user: user)
        let updated = try store.setCacheItem(
            appName: "filesfolders", name: "test_item", data: json("[2]"), project: project.uuid, user: nil)
        #expect(updated.user == user)
        #expect(try store.getCacheItem(appName: "filesfolders", name: "test_item", project: project.uuid)?.user == user)
        let other = User(username: "other")
        try store.setCacheItem(
            appName: "filesfolders", name: "test_item", data: json("[3]"), project: project.uuid, user: other)
        #expect(try store.getCacheItem(appName: "filesfolders", name: "test_item", project: project.uuid)?.user == other)
    }

    @Test func getReturnsTheItemOrNothing() throws {
        try store.setCacheItem(
            appName: "filesfolders", name: "test_item", data: json(#"{"b": 1, "a": 2.50}"#), project: project.uuid)
        let item = try #require(try store.getCacheItem(appName: "filesfolders", name: "test_item", project: project.uuid))
        #expect(item.appName == "filesfolders")
        #expect(item.name == "test_item")
        #expect(item.project == project.uuid)
        #expect(item.user == nil)
        // Bytes as given: key order and number spelling kept.
        #expect(item.data == json(#"{"b": 1, "a": 2.50}"#))
        #expect(try store.getCacheItem(appName: "filesfolders", name: "nothing", project: project.uuid) == nil)
        // Reads need no registered app (items of an app dropped from the config stay readable).
        #expect(try store.getCacheItem(appName: "rubbish", name: "test_item", project: project.uuid) == nil)
    }

    @Test func siteWideAndProjectItemsAreDistinct() throws {
        try store.setCacheItem(appName: "timeline", name: "same", data: json(#""site""#))
        try store.setCacheItem(appName: "timeline", name: "same", data: json(#""project""#), project: project.uuid)
        try store.setCacheItem(appName: "timeline", name: "same", data: json(#""site again""#))
        #expect(try itemCount() == 2)
        #expect(try store.getCacheItem(appName: "timeline", name: "same")?.data == json(#""site again""#))
        #expect(try store.getCacheItem(appName: "timeline", name: "same", project: project.uuid)?.data == json(#""project""#))
        // "No project" is exactly the site-wide item, never some project's.
        try store.setCacheItem(appName: "timeline", name: "only-in-project", data: json("1"), project: project.uuid)
        #expect(try store.getCacheItem(appName: "timeline", name: "only-in-project") == nil)
    }

    @Test func deleteOneItemAndAgainSilently() throws {
        try store.setCacheItem(appName: "filesfolders", name: "test_item", data: json("{}"), project: project.uuid)
        try store.setCacheItem(appName: "filesfolders", name: "keep", data: json("{}"), project: project.uuid)
        try store.deleteCacheItem(appName: "filesfolders", name: "test_item", project: project.uuid)
        #expect(try store.getCacheItem(appName: "filesfolders", name: "test_item", project: project.uuid) == nil)
        #expect(try itemCount() == 1)
        try store.deleteCacheItem(appName: "filesfolders", name: "test_item", project: project.uuid)
        #expect(try itemCount() == 1)
    }

    @Test func projectCacheCount() throws {
        try store.setCacheItem(appName: "filesfolders", name: "b", data: json("{}"), project: project.uuid)
        try store.setCacheItem(appName: "filesfolders", name: "a", data: json("{}"), project: project.uuid)
        try store.setCacheItem(appName: "timeline", name: "site", data: json("{}"))
        let items = try store.getProjectCache(project: project.uuid)
        #expect(items.map(\.name) == ["a", "b"])
        #expect(try store.getProjectCache(project: nil).map(\.name) == ["site"])
        #expect(throws: CacheError.unsupportedDataType("xml")) {
            try store.getProjectCache(project: project.uuid, dataType: "xml")
        }
    }

    @Test func updateTimeEqualsModificationTimeOfLastWrite() throws {
        // A clock that moves 10 ms per write, instead of sleeping between writes.
        let ticks = Locked(1_800_000_000.0)
        let store = try SQLiteCacheStore(
            path: fixture.path, registeredApps: StoreFixture.apps, readOnly: false,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), busyTimeout: 5,
            clock: { Date(timeIntervalSince1970: ticks.withLock { $0 += 0.01; return $0 }) })
        let first = try store.setCacheItem(appName: "filesfolders", name: "t", data: json("1"), project: project.uuid)
        #expect(try store.getUpdateTime(appName: "filesfolders", name: "t", project: project.uuid)
            == first.dateModified.timeIntervalSince1970)
        let second = try store.setCacheItem(appName: "filesfolders", name: "t", data: json("2"), project: project.uuid)
        let time = try #require(try store.getUpdateTime(appName: "filesfolders", name: "t", project: project.uuid))
        #expect(time == second.dateModified.timeIntervalSince1970)
        #expect(time > first.dateModified.timeIntervalSince1970)
        #expect(try store.getUpdateTime(appName: "filesfolders", name: "none", project: project.uuid) == nil)
    }

    func fillForDeletes() throws -> Project {
        let other = try store.addProject(Project(title: "Other"))
        for p in [project.uuid, other.uuid] {
            try store.setCacheItem(appName: "filesfolders", name: "a", data: json("{}"), project: p)
            try store.setCacheItem(appName: "samplesheets", name: "b", data: json("{}"), project: p)
        }
        try store.setCacheItem(appName: "filesfolders", name: "site", data: json("{}"))
        return other
    }

    @Test func deleteAll() throws {
        _ = try fillForDeletes()
        #expect(try store.deleteCache() == 5)
        #expect(try itemCount() == 0)
    }

    @Test func deleteByApp() throws {
        _ = try fillForDeletes()
        #expect(try store.deleteCache(appName: "filesfolders", project: nil) == 3)
        #expect(try itemCount() == 2)
        #expect(try store.deleteCache(appName: "timeline", project: nil) == 0)
        #expect(try itemCount() == 2)
        // Deletes need no registered app: that is how an old app's items go.
        #expect(try store.deleteCache(appName: "rubbish", project: nil) == 0)
    }

    @Test func deleteByProject() throws {
        let other = try fillForDeletes()
        #expect(try store.deleteCache(appName: nil, project: project.uuid) == 2)
        #expect(try itemCount() == 3)
        #expect(try store.deleteCache(appName: nil, project: project.uuid) == 0)
        #expect(try store.deleteCache(appName: "samplesheets", project: other.uuid) == 1)
        #expect(try itemCount() == 2)
    }

    @Test func batchWritesAllOrNothing() throws {
        let writes = (0..<10).map {
            CacheWrite(appName: "samplesheets", name: "irods/rows/\($0)", data: json(#"{"n": \#($0)}"#), project: project.uuid)
        }
        #expect(try store.setCacheItems(writes) == 10)
        #expect(try itemCount() == 10)
        let bad = [CacheWrite(appName: "samplesheets", name: "new", data: json("{}"), project: project.uuid),
                   CacheWrite(appName: "samplesheets", name: "bad", data: json("{"), project: project.uuid)]
        #expect(throws: CacheError.self) { try store.setCacheItems(bad) }
        let unknownProject = [CacheWrite(appName: "samplesheets", name: "new", data: json("{}"), project: project.uuid),
                              CacheWrite(appName: "samplesheets", name: "x", data: json("{}"), project: UUID())]
        #expect(throws: CacheError.self) { try store.setCacheItems(unknownProject) }
        #expect(try itemCount() == 10)
        #expect(try store.getCacheItem(appName: "samplesheets", name: "new", project: project.uuid) == nil)
    }
}
