import Foundation
import SodarCache
import StoreKernel
import Testing

/// SODAR Core's sodarcache API test suite, reproduced, plus our two fixes: on every store.
@Suite struct SODARAPIContractTests {
    /// How many items the store holds (counted, not the header's totals, which a SODAR
    /// database may give as an estimate).
    static func count(_ store: any CacheStore) throws -> Int {
        try store.countItems(matching: CacheFilter()).values.reduce(0, +)
    }

    /// A store of one kind with SODAR's test project (a category with one project) and a user.
    struct Setup {
        let fixture: ContractStore
        let store: any CacheStore
        let project: Project
        let user: User

        init(_ kind: StoreKind) throws {
            fixture = try ContractStore(kind)
            store = fixture.store
            project = try fixture.makeTestProject()
            user = try fixture.makeUser("owner")
        }
    }

    @Test(arguments: StoreKind.available) func setCreatesOneItem(kind: StoreKind) throws {
        let s = try Setup(kind)
        let store = s.store
        let project = s.project
        let user = s.user
        let item = try store.setCacheItem(
            appName: "filesfolders", name: "test_item", data: json(#"{"test_key": "test_val"}"#),
            project: project.uuid, user: user)
        #expect(try Self.count(store) == 1)
        let stored = try #require(try store.getCacheItem(appName: "filesfolders", name: "test_item", project: project.uuid))
        #expect(stored == item)
        if kind == .sqlite {
            #expect(item.uuid.uuid.6 >> 4 == 7)  // time-ordered UUID (RFC 9562 version 7)
            #expect(item.uuid.uuid.8 >> 6 == 0b10)
        }
        #expect(stored.user == user)
        #expect(String(decoding: stored.data, as: UTF8.self) == #"{"test_key": "test_val"}"#)
    }

    @Test(arguments: StoreKind.available) func setWithUnknownAppWritesNothing(kind: StoreKind) throws {
        let s = try Setup(kind)
        let store = s.store
        let project = s.project
        #expect(throws: CacheError.unknownApp("rubbish", known: ContractStore.apps)) {
            try store.setCacheItem(appName: "rubbish", name: "x", data: json("{}"), project: project.uuid)
        }
        #expect(try Self.count(store) == 0)
    }

    @Test(arguments: StoreKind.available) func setWithUnknownDataTypeWritesNothing(kind: StoreKind) throws {
        let s = try Setup(kind)
        let store = s.store
        let project = s.project
        #expect(throws: CacheError.unsupportedDataType("rubbish")) {
            try store.setCacheItem(
                appName: "filesfolders", name: "x", data: json("{}"), dataType: "rubbish", project: project.uuid)
        }
        #expect(try Self.count(store) == 0)
    }

    @Test(arguments: StoreKind.available) func setWithInvalidJSONWritesNothing(kind: StoreKind) throws {
        let s = try Setup(kind)
        let store = s.store
        let project = s.project
        #expect {
            try store.setCacheItem(appName: "filesfolders", name: "x", data: json(#"{"a": }"#), project: project.uuid)
        } throws: { error in
            guard case CacheError.invalidJSON = error else { return false }
            return true
        }
        #expect(try Self.count(store) == 0)
    }

    @Test(arguments: StoreKind.available) func setForUnknownProjectWritesNothing(kind: StoreKind) throws {
        let s = try Setup(kind)
        let store = s.store
        let unknown = UUID()
        #expect(throws: CacheError.projectNotFound(unknown.sodarString)) {
            try store.setCacheItem(appName: "filesfolders", name: "x", data: json("{}"), project: unknown)
        }
        #expect(try Self.count(store) == 0)
    }

    @Test(arguments: StoreKind.available) func setAgainUpdatesTheSameItem(kind: StoreKind) throws {
        let s = try Setup(kind)
        let store = s.store
        let project = s.project
        let user = s.user
        let first = try store.setCacheItem(
            appName: "filesfolders", name: "test_item", data: json(#"{"test_key": "test_val"}"#),
            project: project.uuid, user: user)
        let second = try store.setCacheItem(
            appName: "filesfolders", name: "test_item", data: json(#"{"test_key": "test_val_updated"}"#),
            project: project.uuid, user: user)
        #expect(try Self.count(store) == 1)
        #expect(second.uuid == first.uuid)
        #expect(second.dateModified >= first.dateModified)
        let stored = try #require(try store.getCacheItem(appName: "filesfolders", name: "test_item", project: project.uuid))
        #expect(String(decoding: stored.data, as: UTF8.self) == #"{"test_key": "test_val_updated"}"#)
        #expect(stored.uuid == first.uuid)
    }

    @Test(arguments: StoreKind.available) func updateWithoutUserKeepsTheUser(kind: StoreKind) throws {
        let s = try Setup(kind)
        let store = s.store
        let project = s.project
        let user = s.user
        try store.setCacheItem(
            appName: "filesfolders", name: "test_item", data: json("[1]"), project: project.uuid, user: user)
        let updated = try store.setCacheItem(
            appName: "filesfolders", name: "test_item", data: json("[2]"), project: project.uuid, user: nil)
        #expect(updated.user == user)
        #expect(try store.getCacheItem(appName: "filesfolders", name: "test_item", project: project.uuid)?.user == user)
        let other = try s.fixture.makeUser("other")
        try store.setCacheItem(
            appName: "filesfolders", name: "test_item", data: json("[3]"), project: project.uuid, user: other)
        #expect(try store.getCacheItem(appName: "filesfolders", name: "test_item", project: project.uuid)?.user == other)
    }

    @Test(arguments: StoreKind.available) func getReturnsTheItemOrNothing(kind: StoreKind) throws {
        let s = try Setup(kind)
        let store = s.store
        let project = s.project
        try store.setCacheItem(
            appName: "filesfolders", name: "test_item", data: json(#"{"b": 1, "a": 2.50}"#), project: project.uuid)
        let item = try #require(try store.getCacheItem(appName: "filesfolders", name: "test_item", project: project.uuid))
        #expect(item.appName == "filesfolders")
        #expect(item.name == "test_item")
        #expect(item.project == project.uuid)
        #expect(item.user == nil)
        // Bytes as given: key order and number spelling kept (a SODAR database's jsonb has its own).
        #expect(item.data == json(kind == .sodar ? #"{"a": 2.50, "b": 1}"# : #"{"b": 1, "a": 2.50}"#))
        #expect(try store.getCacheItem(appName: "filesfolders", name: "nothing", project: project.uuid) == nil)
        // Reads need no registered app (items of an app dropped from the config stay readable).
        #expect(try store.getCacheItem(appName: "rubbish", name: "test_item", project: project.uuid) == nil)
    }

    @Test(arguments: StoreKind.available) func siteWideAndProjectItemsAreDistinct(kind: StoreKind) throws {
        let s = try Setup(kind)
        let store = s.store
        let project = s.project
        try store.setCacheItem(appName: "timeline", name: "same", data: json(#""site""#))
        try store.setCacheItem(appName: "timeline", name: "same", data: json(#""project""#), project: project.uuid)
        try store.setCacheItem(appName: "timeline", name: "same", data: json(#""site again""#))
        #expect(try Self.count(store) == 2)
        #expect(try store.getCacheItem(appName: "timeline", name: "same")?.data == json(#""site again""#))
        #expect(try store.getCacheItem(appName: "timeline", name: "same", project: project.uuid)?.data == json(#""project""#))
        // "No project" is exactly the site-wide item, never some project's.
        try store.setCacheItem(appName: "timeline", name: "only-in-project", data: json("1"), project: project.uuid)
        #expect(try store.getCacheItem(appName: "timeline", name: "only-in-project") == nil)
    }

    @Test(arguments: StoreKind.available) func deleteOneItemAndAgainSilently(kind: StoreKind) throws {
        let s = try Setup(kind)
        let store = s.store
        let project = s.project
        try store.setCacheItem(appName: "filesfolders", name: "test_item", data: json("{}"), project: project.uuid)
        try store.setCacheItem(appName: "filesfolders", name: "keep", data: json("{}"), project: project.uuid)
        try store.deleteCacheItem(appName: "filesfolders", name: "test_item", project: project.uuid)
        #expect(try store.getCacheItem(appName: "filesfolders", name: "test_item", project: project.uuid) == nil)
        #expect(try Self.count(store) == 1)
        try store.deleteCacheItem(appName: "filesfolders", name: "test_item", project: project.uuid)
        #expect(try Self.count(store) == 1)
    }

    @Test(arguments: StoreKind.available) func projectCacheCount(kind: StoreKind) throws {
        let s = try Setup(kind)
        let store = s.store
        let project = s.project
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

    func fillForDeletes(_ s: Setup) throws -> Project {
        let store = s.store
        let project = s.project
        let other = try s.fixture.makeProject("Other")
        for p in [project.uuid, other.uuid] {
            try store.setCacheItem(appName: "filesfolders", name: "a", data: json("{}"), project: p)
            try store.setCacheItem(appName: "samplesheets", name: "b", data: json("{}"), project: p)
        }
        try store.setCacheItem(appName: "filesfolders", name: "site", data: json("{}"))
        return other
    }

    @Test(arguments: StoreKind.available) func deleteAll(kind: StoreKind) throws {
        let s = try Setup(kind)
        let store = s.store
        _ = try fillForDeletes(s)
        #expect(try store.deleteCache() == 5)
        #expect(try Self.count(store) == 0)
    }

    @Test(arguments: StoreKind.available) func deleteByApp(kind: StoreKind) throws {
        let s = try Setup(kind)
        let store = s.store
        _ = try fillForDeletes(s)
        #expect(try store.deleteCache(appName: "filesfolders", project: nil) == 3)
        #expect(try Self.count(store) == 2)
        #expect(try store.deleteCache(appName: "timeline", project: nil) == 0)
        #expect(try Self.count(store) == 2)
        // Deletes need no registered app: that is how an old app's items go.
        #expect(try store.deleteCache(appName: "rubbish", project: nil) == 0)
    }

    @Test(arguments: StoreKind.available) func deleteByProject(kind: StoreKind) throws {
        let s = try Setup(kind)
        let store = s.store
        let project = s.project
        let other = try fillForDeletes(s)
        #expect(try store.deleteCache(appName: nil, project: project.uuid) == 2)
        #expect(try Self.count(store) == 3)
        #expect(try store.deleteCache(appName: nil, project: project.uuid) == 0)
        #expect(try store.deleteCache(appName: "samplesheets", project: other.uuid) == 1)
        #expect(try Self.count(store) == 2)
    }

    @Test(arguments: StoreKind.available) func batchWritesAllOrNothing(kind: StoreKind) throws {
        let s = try Setup(kind)
        let store = s.store
        let project = s.project
        let writes = (0..<10).map {
            CacheWrite(appName: "samplesheets", name: "irods/rows/\($0)", data: json(#"{"n": \#($0)}"#), project: project.uuid)
        }
        #expect(try store.setCacheItems(writes) == 10)
        #expect(try Self.count(store) == 10)
        let bad = [CacheWrite(appName: "samplesheets", name: "new", data: json("{}"), project: project.uuid),
                   CacheWrite(appName: "samplesheets", name: "bad", data: json("{"), project: project.uuid)]
        #expect(throws: CacheError.self) { try store.setCacheItems(bad) }
        let unknownProject = [CacheWrite(appName: "samplesheets", name: "new", data: json("{}"), project: project.uuid),
                              CacheWrite(appName: "samplesheets", name: "x", data: json("{}"), project: UUID())]
        #expect(throws: CacheError.self) { try store.setCacheItems(unknownProject) }
        #expect(try Self.count(store) == 10)
        #expect(try store.getCacheItem(appName: "samplesheets", name: "new", project: project.uuid) == nil)
    }
}
