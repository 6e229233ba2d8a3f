import Foundation
import SodarCache
import Testing

/// SODAR's cache API (`CacheBackend`) as every store must keep it.
@Suite struct BackendContractTests {
    @Test(arguments: StoreKind.available) func setThenGet(kind: StoreKind) throws {
        let fixture = try ContractStore(kind)
        let store = fixture.store
        let project = try fixture.makeTestProject()
        let user = try fixture.makeUser("owner")
        let item = try store.setCacheItem(
            appName: "filesfolders", name: "test_item", data: json(#"{"test_key": "test_val"}"#), project: project.uuid, user: user)
        let stored = try #require(try store.getCacheItem(appName: "filesfolders", name: "test_item", project: project.uuid))
        #expect(stored.uuid == item.uuid)
        #expect(stored.user?.username == "owner")
        #expect(stored.project == project.uuid)
        #expect(text(stored.data) == #"{"test_key": "test_val"}"#)
        #expect(stored.dateModified == item.dateModified)
        #expect(try store.getCacheItem(appName: "filesfolders", name: "other", project: project.uuid) == nil)
        #expect(try store.getCacheItem(appName: "filesfolders", name: "test_item", project: nil) == nil)
    }

    @Test(arguments: StoreKind.available) func refusedWritesWriteNothing(kind: StoreKind) throws {
        let fixture = try ContractStore(kind)
        let store = fixture.store
        let project = try fixture.makeTestProject()
        #expect(throws: CacheError.unknownApp("nope", known: ContractStore.apps)) {
            try store.setCacheItem(appName: "nope", name: "x", data: json("{}"), project: project.uuid)
        }
        #expect(throws: CacheError.unsupportedDataType("xml")) {
            try store.setCacheItem(appName: "timeline", name: "x", data: json("{}"), dataType: "xml", project: project.uuid)
        }
        #expect(throws: CacheError.self) {
            try store.setCacheItem(appName: "timeline", name: "x", data: json("{\"a\": }"), project: project.uuid)
        }
        #expect(throws: CacheError.self) {
            try store.setCacheItem(appName: "timeline", name: " ", data: json("{}"), project: project.uuid)
        }
        let unknown = UUID()
        #expect(throws: CacheError.projectNotFound(unknown.sodarString)) {
            try store.setCacheItem(appName: "timeline", name: "x", data: json("{}"), project: unknown)
        }
        #expect(try store.totals().items == 0)
    }

    /// One rule on every engine, through every entry point: an app that is not registered may
    /// not write, and its items (left by a config that listed it) may be read and deleted.
    @Test(arguments: StoreKind.available) func unregisteredAppsMayNotWriteButTheirItemsMayBeDeleted(kind: StoreKind) throws {
        let fixture = try ContractStore(kind, apps: ContractStore.apps + ["retired"])
        let project = try fixture.makeTestProject()
        for name in ["a", "b", "c", "d"] {
            try fixture.store.setCacheItem(appName: "retired", name: name, data: json("[1]"), project: project.uuid)
        }
        // The app leaves the config: another process opens the store without it.
        let store = try fixture.reopen()
        let refused = CacheError.unknownApp("retired", known: ContractStore.apps)
        let write = CacheWrite(appName: "retired", name: "e", data: json("{}"), project: project.uuid)
        #expect(throws: refused) { try store.setCacheItem(appName: "retired", name: "e", data: json("{}"), project: project.uuid) }
        #expect(throws: refused) { try store.setCacheItems([write]) }
        #expect(throws: refused) { try store.commitBatch(deleting: [.item(appName: "retired", name: "a", project: project.uuid)], writing: [write]) }
        // Nothing of a refused batch landed, its delete neither.
        #expect(try store.getCacheItem(appName: "retired", name: "a", project: project.uuid) != nil)
        #expect(try store.getCacheItem(appName: "retired", name: "e", project: project.uuid) == nil)
        // Deletes: one item, a batch's deletes, and the app's whole cache.
        try store.deleteCacheItem(appName: "retired", name: "a", project: project.uuid)
        #expect(try store.commitBatch(deleting: [.item(appName: "retired", name: "b", project: project.uuid)], writing: []) == 0)
        #expect(try store.getCacheItem(appName: "retired", name: "b", project: project.uuid) == nil)
        #expect(try store.deleteCache(appName: "retired", project: project.uuid) == 2)
        #expect(try store.totals().items == 0)
    }

    @Test(arguments: StoreKind.available) func setAgainUpdatesTheSameItemAndKeepsItsUser(kind: StoreKind) throws {
        let fixture = try ContractStore(kind)
        let store = fixture.store
        let project = try fixture.makeTestProject()
        let user = try fixture.makeUser("jdoe")
        let first = try store.setCacheItem(appName: "timeline", name: "x", data: json("[1]"), project: project.uuid, user: user)
        let second = try store.setCacheItem(appName: "timeline", name: "x", data: json("[2]"), project: project.uuid)
        #expect(second.uuid == first.uuid)
        #expect(second.user?.username == "jdoe")
        #expect(second.dateModified >= first.dateModified)
        let stored = try #require(try store.getCacheItem(appName: "timeline", name: "x", project: project.uuid))
        #expect(text(stored.data) == "[2]")
        #expect(stored.user?.username == "jdoe")
        // The update time is the time of the last write (SODAR's is the creation time).
        let time = try #require(try store.getUpdateTime(appName: "timeline", name: "x", project: project.uuid))
        #expect(time == second.dateModified.timeIntervalSince1970)
        #expect(time * 1_000_000 == (time * 1_000_000).rounded())
        #expect(try store.totals().items == 1)
    }

    @Test(arguments: StoreKind.available) func siteWideItemsAreOnePerAppAndName(kind: StoreKind) throws {
        let fixture = try ContractStore(kind)
        let store = fixture.store
        let project = try fixture.makeTestProject()
        try store.setCacheItem(appName: "timeline", name: "x", data: json("[1]"), project: nil)
        try store.setCacheItem(appName: "timeline", name: "x", data: json("[2]"), project: nil)
        try store.setCacheItem(appName: "timeline", name: "x", data: json("[3]"), project: project.uuid)
        #expect(try store.getProjectCache(project: nil).map { text($0.data) } == ["[2]"])
        #expect(try store.totals().siteItems == 1)
        #expect(try store.totals().items == 2)
        try store.deleteCacheItem(appName: "timeline", name: "x", project: nil)
        try store.deleteCacheItem(appName: "timeline", name: "x", project: nil)
        #expect(try store.getCacheItem(appName: "timeline", name: "x", project: nil) == nil)
        #expect(try store.getCacheItem(appName: "timeline", name: "x", project: project.uuid) != nil)
    }

    @Test(arguments: StoreKind.available) func deletesByAppProjectOrAll(kind: StoreKind) throws {
        let fixture = try ContractStore(kind)
        let store = fixture.store
        let a = try fixture.makeTestProject()
        let b = try fixture.makeProject("Other")
        for project in [a, b] {
            for app in ["timeline", "filesfolders"] {
                try store.setCacheItem(appName: app, name: "n", data: json("{}"), project: project.uuid)
            }
        }
        try store.setCacheItem(appName: "timeline", name: "site", data: json("{}"))
        // The header's totals follow every change (none is cached past a commit).
        #expect(try store.totals().items == 5)
        #expect(try store.deleteCache(appName: "timeline", project: a.uuid) == 1)
        #expect(try store.totals().items == 4)
        #expect(try store.deleteCache(appName: "filesfolders", project: nil) == 2)
        #expect(try store.getProjectCache(project: b.uuid).map(\.appName) == ["timeline"])
        #expect(try store.deleteCache(appName: nil, project: nil) == 2)
        #expect(try store.totals().items == 0)
    }

    @Test(arguments: StoreKind.available) func commitBatchIsAllOrNothing(kind: StoreKind) throws {
        let fixture = try ContractStore(kind)
        let store = fixture.store
        let project = try fixture.makeTestProject()
        try store.setCacheItem(appName: "filesfolders", name: "old", data: json("{}"), project: project.uuid)
        #expect(throws: CacheError.self) {
            try store.commitBatch(
                deleting: [.all(appName: "filesfolders", project: project.uuid)],
                writing: [
                    CacheWrite(appName: "filesfolders", name: "new", data: json("{}"), project: project.uuid),
                    CacheWrite(appName: "filesfolders", name: "lost", data: json("{}"), project: UUID()),
                ])
        }
        #expect(try store.getProjectCache(project: project.uuid).map(\.name) == ["old"])
        let written = try store.commitBatch(
            deleting: [.item(appName: "filesfolders", name: "old", project: project.uuid)],
            writing: [CacheWrite(appName: "filesfolders", name: "new", data: json("{}"), project: project.uuid)])
        #expect(written == 1)
        #expect(try store.getProjectCache(project: project.uuid).map(\.name) == ["new"])
    }

    @Test(arguments: StoreKind.available) func aBatchWritesAsItsWritesInOrder(kind: StoreKind) throws {
        let fixture = try ContractStore(kind)
        let store = fixture.store
        let project = try fixture.makeTestProject()
        let owner = try fixture.makeUser("owner")
        let other = try fixture.makeUser("other")
        try store.setCacheItem(appName: "timeline", name: "kept", data: json("[0]"), project: project.uuid, user: other)
        // One item written three times, the last time without a user; a site-wide item twice;
        // names with quotes and backslashes; an existing item's user kept.
        let written = try store.setCacheItems([
            CacheWrite(appName: "timeline", name: "x", data: json("[1]"), project: project.uuid, user: other),
            CacheWrite(appName: "timeline", name: #"q"\\"#, data: json(#"{"s": "a\"b\\c"}"#), project: project.uuid),
            CacheWrite(appName: "timeline", name: "x", data: json("[2]"), project: project.uuid, user: owner),
            CacheWrite(appName: "filesfolders", name: "site", data: json("[1]"), user: owner),
            CacheWrite(appName: "timeline", name: "x", data: json("[3]"), project: project.uuid),
            CacheWrite(appName: "filesfolders", name: "site", data: json("[2]")),
            CacheWrite(appName: "timeline", name: "kept", data: json("[1]"), project: project.uuid),
        ])
        #expect(written == 7)
        let x = try #require(try store.getCacheItem(appName: "timeline", name: "x", project: project.uuid))
        #expect(text(x.data) == "[3]")
        #expect(x.user?.username == "owner")
        let quoted = try #require(try store.getCacheItem(appName: "timeline", name: #"q"\\"#, project: project.uuid))
        #expect(quoted.user == nil)
        if kind != .sodar { #expect(text(quoted.data) == #"{"s": "a\"b\\c"}"#) }
        #expect(try store.getCacheItem(appName: "timeline", name: "kept", project: project.uuid)?.user?.username == "other")
        let site = try #require(try store.getCacheItem(appName: "filesfolders", name: "site", project: nil))
        #expect(text(site.data) == "[2]")
        #expect(site.user?.username == "owner")
        let totals = try store.totals()
        #expect(totals.items == 4)
        #expect(totals.siteItems == 1)
        if kind == .sodar {
            // A user the site does not have refuses the whole batch.
            #expect(throws: CacheError.self) {
                try store.setCacheItems([
                    CacheWrite(appName: "timeline", name: "y", data: json("[1]"), project: project.uuid),
                    CacheWrite(appName: "timeline", name: "z", data: json("[1]"), project: project.uuid, user: User(username: "nobody")),
                ])
            }
            #expect(try store.getCacheItem(appName: "timeline", name: "y", project: project.uuid) == nil)
            #expect(try store.totals().items == 4)
        }
    }

    @Test(arguments: StoreKind.available) func projectCacheIsOrderedByAppAndName(kind: StoreKind) throws {
        let fixture = try ContractStore(kind)
        let store = fixture.store
        let project = try fixture.makeTestProject()
        for (app, name) in [("timeline", "b"), ("filesfolders", "z"), ("timeline", "a")] {
            try store.setCacheItem(appName: app, name: name, data: json("{}"), project: project.uuid)
        }
        #expect(try store.getProjectCache(project: project.uuid).map { "\($0.appName):\($0.name)" }
            == ["filesfolders:z", "timeline:a", "timeline:b"])
        #expect(throws: CacheError.unsupportedDataType("xml")) { try store.getProjectCache(project: project.uuid, dataType: "xml") }
    }

    @Test(arguments: StoreKind.available.filter { $0 != .sodar })
    func payloadsAreKeptAsGiven(kind: StoreKind) throws {
        let fixture = try ContractStore(kind)
        let payload = #"{"z": 1.50, "a": [1e3, "ü\u00e9"],   "m": {}}"#
        try fixture.store.setCacheItem(appName: "timeline", name: "x", data: json(payload))
        #expect(text(try #require(try fixture.store.getCacheItem(appName: "timeline", name: "x")).data) == payload)
    }

    @Test(arguments: StoreKind.available) func anotherInstanceSeesWritesAndTheChangeToken(kind: StoreKind) throws {
        let fixture = try ContractStore(kind)
        let other = try fixture.reopen()
        let before = try other.changeToken()
        if kind == .sqlite || kind == .memory {
            // PostgreSQL's token follows the whole server's snapshot: other tests' databases
            // change it too (a spurious reload, never a missed one).
            #expect(try other.changeToken() == before)
        }
        try fixture.store.setCacheItem(appName: "timeline", name: "x", data: json("{}"))
        #expect(try other.changeToken() != before)
        #expect(try other.getCacheItem(appName: "timeline", name: "x", project: nil) != nil)
        #expect(try other.totals().items == 1)
        // Its own writes count too, and reading the token never waits for a writer.
        let own = try fixture.store.changeToken()
        try fixture.store.setCacheItem(appName: "timeline", name: "y", data: json("{}"))
        #expect(try fixture.store.changeToken() != own)
        #expect(try fixture.store.totals().items == 2)
    }

    @Test(arguments: StoreKind.available) func readOnlyInstanceReadsButRefusesWrites(kind: StoreKind) throws {
        let fixture = try ContractStore(kind)
        try fixture.store.setCacheItem(appName: "timeline", name: "x", data: json("{}"))
        let reader = try fixture.reopen(readOnly: true)
        #expect(try reader.getCacheItem(appName: "timeline", name: "x", project: nil) != nil)
        #expect(throws: CacheError.self) { try reader.setCacheItem(appName: "timeline", name: "y", data: json("{}")) }
        #expect(throws: CacheError.self) { try reader.deleteCache(appName: nil, project: nil) }
        #expect(try fixture.store.totals().items == 1)
    }
}
