import Foundation
import GRDB
import StoreKernel
import Testing
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

    func pages(
        _ fetch: (ItemSummary?) throws -> [ItemSummary], pageSize: Int = 4
    ) throws -> [ItemSummary] {
        var all: [ItemSummary] = []
        var after: ItemSummary? = nil
        while true {
            let page = try fetch(after)
            all += page
            if page.count < pageSize { return all }
            after = page.last
        }
    }

    @Test func itemFilterIsCaseInsensitiveAndLiteral() throws {
        let hits = try store.itemPage(
            project: projects[1].uuid, app: nil, sort: .name, after: nil, limit: 100, filter: "item_1")
        #expect(Set(hits.map(\.name)) == Set(["Item_1_p1", "Item_10_p1", "Item_11_p1", "Item_12_p1", "Item_13_p1",
                                              "Item_14_p1", "Item_15_p1", "Item_16_p1", "Item_17_p1", "Item_18_p1", "Item_19_p1"]))
        let none = try store.itemPage(project: projects[1].uuid, app: nil, sort: .name, after: nil, limit: 100, filter: "%")
        #expect(none.isEmpty)
    }

    /// Pages read backwards from the end with `before:` (what `G` and paging up from there do).
    func pagesBackwards(
        _ fetch: (ItemSummary?) throws -> [ItemSummary], pageSize: Int = 4
    ) throws -> [ItemSummary] {
        var all: [ItemSummary] = []
        var before: ItemSummary? = nil
        while true {
            let page = try fetch(before)
            all = page + all
            if page.count < pageSize { return all }
            before = page.first
        }
    }

    /// Issue 13, item 12: the last page comes from a reverse keyset query, and pages read
    /// backwards from it give the same list as pages read forwards.
    @Test(arguments: ItemSort.allCases, [String?.none, "timeline"])
    func itemPagesBeforeReadTheSameListBackwards(sort: ItemSort, app: String?) throws {
        let project = projects[0].uuid
        let everything = try store.itemPage(project: project, app: app, sort: sort, after: nil, limit: 1000, filter: nil)
        let last = try store.itemPage(project: project, app: app, sort: sort, before: nil, limit: 3, filter: nil)
        #expect(last == Array(everything.suffix(3)))
        let backwards = try pagesBackwards { before in
            try store.itemPage(project: project, app: app, sort: sort, before: before, limit: 4, filter: nil)
        }
        #expect(backwards == everything)
        let filtered = try store.itemPage(project: project, app: app, sort: sort, before: nil, limit: 100, filter: "_1")
        #expect(filtered == everything.filter { $0.name.contains("_1") })
    }

    @Test func projectAndAppPagesBeforeEndAtTheTrueLastRow() throws {
        let last = try store.projectPage(before: nil, limit: 2, filter: nil)
        #expect(last.map(\.project.fullTitle) == ["Cat / Beta", "Cat / Gamma"])
        #expect(last.map(\.itemCount) == [23, 23])
        let earlier = try store.projectPage(before: last.first, limit: 5, filter: nil)
        #expect(earlier.map(\.project.fullTitle) == ["Cat", "Cat / Alpha"])
        #expect(try store.projectPage(before: nil, limit: 5, filter: "alpha").map(\.project.title) == ["Alpha"])
        let apps = try store.appPage(project: projects[0].uuid, before: nil, limit: 2, filter: nil)
        #expect(apps.map(\.appName) == ["samplesheets", "timeline"])
        #expect(try store.appPage(project: projects[0].uuid, before: apps.first, limit: 2, filter: nil).map(\.appName) == ["filesfolders"])
    }

    /// The header counts projects and categories apart.
    @Test func totalsCountProjectsAndCategoriesApart() throws {
        let totals = try store.totals()
        #expect(totals.projects == 3)
        #expect(totals.categories == 1)
        try store.addProject(Project(title: "Other", type: .category))
        #expect(try store.totals().categories == 2)
        #expect(try store.totals().projects == 3)
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

    @Test func projectPagesInTreeOrderWithCounts() throws {
        var all: [ProjectSummary] = []
        var after: ProjectSummary? = nil
        repeat {
            let page = try store.projectPage(after: after, limit: 2, filter: nil)
            all += page
            after = page.count == 2 ? page.last : nil
        } while after != nil
        #expect(all.map(\.project.fullTitle) == ["Cat", "Cat / Alpha", "Cat / Beta", "Cat / Gamma"])
        #expect(all.map(\.depth) == [0, 1, 1, 1])
        #expect(all.map(\.itemCount) == [0, 23, 23, 23])
        #expect(all[0].latestUpdate == nil)
        #expect(all[1].latestUpdate != nil)
        let filtered = try store.projectPage(after: nil, limit: 10, filter: "cat / b")
        #expect(filtered.map(\.project.title) == ["Beta"])
    }

    @Test func appPagesWithCountsAndSizes() throws {
        let apps = try store.appPage(project: projects[0].uuid, after: nil, limit: 2, filter: nil)
        #expect(apps.map(\.appName) == ["filesfolders", "samplesheets"])
        let rest = try store.appPage(project: projects[0].uuid, after: apps.last, limit: 2, filter: nil)
        #expect(rest.map(\.appName) == ["timeline"])
        #expect(apps[0].itemCount + apps[1].itemCount + rest[0].itemCount == 23)
        let sizes = (0..<23).map { $0 % 4 + 2 }
        #expect(apps[1].totalSize == stride(from: 0, to: 23, by: 3).map { sizes[$0] }.reduce(0, +))
        let filtered = try store.appPage(project: projects[0].uuid, after: nil, limit: 10, filter: "LINE")
        #expect(filtered.map(\.appName) == ["timeline"])
        #expect(try store.appPage(project: projects[0].uuid, after: nil, limit: 10, filter: "%").isEmpty)
        let site = try store.appPage(project: nil, after: nil, limit: 10, filter: nil)
        #expect(site == [AppSummary(appName: "timeline", itemCount: 5, latestUpdate: site.first?.latestUpdate, totalSize: 15)])
    }

    @Test func allItemsPageVisitsSiteThenProjectsInTreeOrder() throws {
        let paged = try pages { after in try store.allItemsPage(after: after, limit: 4) }
        #expect(paged.count == 5 + 3 * 23)
        #expect(Set(paged.map(\.uuid)).count == paged.count)
        #expect(paged.prefix(5).allSatisfy { $0.project == nil })
        let order = [projects[1].uuid, projects[2].uuid, projects[0].uuid]  // Alpha, Beta, Gamma
        var seen: [UUID] = []
        for item in paged.dropFirst(5) where seen.last != item.project { seen.append(item.project!) }
        #expect(seen == order)
    }

    @Test func filtersDriveItemsCountsAndDeletes() throws {
        let all = CacheFilter()
        #expect(try store.countItems(matching: all).values.reduce(0, +) == 74)
        let timeline = CacheFilter(scope: .all, appName: "timeline")
        let pagedTimeline = try pages { after in try store.items(matching: timeline, after: after, limit: 4) }
        #expect(pagedTimeline.count == 5 + 3 * 8)
        #expect(pagedTimeline.allSatisfy { $0.appName == "timeline" })
        let orphans = CacheFilter(appNotIn: ["timeline", "samplesheets"])
        #expect(try store.countItems(matching: orphans) == ["filesfolders": 21])
        let site = CacheFilter(scope: .site)
        #expect(try store.items(matching: site, after: nil, limit: 100).count == 5)
        let future = CacheFilter(scope: .project(projects[2].uuid), olderThan: Date().addingTimeInterval(60))
        #expect(try store.deleteItems(matching: future) == 23)
        #expect(try store.deleteItems(matching: CacheFilter(olderThan: Date(timeIntervalSince1970: 0))) == 0)
        let some = try store.itemPage(project: projects[0].uuid, app: nil, sort: .name, after: nil, limit: 3, filter: nil)
        #expect(try store.deleteItems(uuids: some.map(\.uuid) + [UUID()]) == 3)
        #expect(try store.totals() == StoreTotals(projects: 3, categories: 1, items: 74 - 23 - 3, bytes: try store.totals().bytes, siteItems: 5))
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
        let listed = try pages({ after in try store.items(matching: orphans, after: after, limit: 3) }, pageSize: 3)
        #expect(listed.count == before)
        #expect(Set(listed.map(\.uuid)).count == before)
        #expect(try store.deleteItems(matching: orphans) == before)
        #expect(try store.countItems(matching: orphans).isEmpty)
    }

    @Test func itemByUUIDCarriesProjectAndPayload() throws {
        let summary = try #require(
            try store.itemPage(project: projects[0].uuid, app: "timeline", sort: .name, after: nil, limit: 1, filter: nil).first)
        let item = try #require(try store.item(uuid: summary.uuid))
        #expect(item.project == projects[0].uuid)
        #expect(item.name == summary.name)
        #expect(item.data.count == summary.size)
        #expect(try store.item(uuid: UUID()) == nil)
    }
}
