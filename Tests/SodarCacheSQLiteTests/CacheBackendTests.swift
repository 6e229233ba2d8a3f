import Foundation
import Logging
import Testing
import SodarCache
@testable import SodarCacheSQLite

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

}
