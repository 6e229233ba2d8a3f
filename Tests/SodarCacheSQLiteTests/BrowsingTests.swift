import Foundation
import GRDB
import StoreKernel
import Testing
import TestSupport
import SodarCache
@testable import SodarCacheSQLite

/// The SQLite store's browsing beyond the store contract (Tests/StoreContractTests): its
/// indexes, a replaced file, rows deleted behind its back.
@Suite struct BrowsingTests {
    let fixture: StoreFixture
    var store: SQLiteCacheStore { fixture.store }
    let projects: [Project]

    /// 3 projects under one category, items with many equal sizes and update times so that
    /// tie-breaking matters, plus site-wide items.
    init() throws {
        fixture = try StoreFixture()
        let category = try fixture.store.addProject(Project(title: "Cat", type: .category))
        var projects: [Project] = []
        for title in ["Gamma", "Alpha", "Beta"] {
            projects.append(try fixture.store.addProject(Project(title: title, parent: category.uuid)))
        }
        self.projects = projects
        var writes: [CacheWrite] = []
        for (p, project) in projects.enumerated() {
            for i in 0..<23 {
                let app = ["samplesheets", "timeline", "filesfolders"][i % 3]
                let payload = String(repeating: "x", count: i % 4)
                writes.append(
                    CacheWrite(appName: app, name: "Item_\(i)_p\(p)", data: json(#""\#(payload)""#), project: project.uuid))
            }
        }
        // One transaction: many items share the same update time.
        try fixture.store.setCacheItems(writes)
        for i in 0..<5 {
            try fixture.store.setCacheItem(appName: "timeline", name: "site-\(i)", data: json("[\(i)]"))
        }
    }

    /// A store replaced underneath (a restore from backup) is closed before the new file is
    /// opened: the old file's WAL must not be read as the new file's.
    @Test func closingAReplacedStoreLeavesTheNewFileIntact() throws {
        let path = fixture.path
        let other = fixture.directory.appendingPathComponent("backup.sqlite3").path
        let backup = try SQLiteCacheStore(path: other, registeredApps: StoreFixture.apps)
        try backup.addProject(Project(title: "Restored"))
        try backup.close()
        #expect(rename(other, path) == 0)
        #expect(throws: CacheError.self) { try store.changeToken() }
        try store.close()
        // Whatever WAL is left at the path is empty.
        let wal = try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int
        #expect((wal ?? 0) == 0)
        let reopened = try fixture.reopen()
        #expect(try reopened.allProjects().map(\.title) == ["Restored"])
        #expect(try reopened.snapshotRead { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
    }

    @Test func orphansIncludeItemsWhoseProjectIsGone() throws {
        let orphans = CacheFilter(appNotIn: ["timeline", "samplesheets", "filesfolders"])
        #expect(try store.countItems(matching: orphans).isEmpty)
        // Projects are never deleted through the store; another tool might.
        let gone = projects[1]
        let before = try store.itemPage(project: gone.uuid, app: nil, sort: .name, after: nil, limit: 100, filter: nil).count
        #expect(before > 0)
        try store.pool.write { db in try db.execute(sql: "DELETE FROM project WHERE uuid = ?", arguments: [gone.uuid]) }
        #expect(try store.countItems(matching: orphans).values.reduce(0, +) == before)
        let listed = try Paging.forwards(pageSize: 3) { after in try store.items(matching: orphans, after: after, limit: 3) }
        #expect(listed.count == before)
        #expect(Set(listed.map(\.uuid)).count == before)
        #expect(try store.deleteItems(matching: orphans) == before)
        #expect(try store.countItems(matching: orphans).isEmpty)
    }

}
