import Foundation
import SodarCache
import StoreKernel
import Testing
import TestSupport

/// The browser's and the command line's read side (`CacheBrowsing`, `CacheMaintenance`), the
/// same on every store.
@Suite struct BrowsingContractTests {
    /// A category with 3 projects (titles out of order), 23 items each with many equal sizes
    /// and update times so that tie-breaking matters, and 5 site-wide items.
    static func populated(_ kind: StoreKind) throws -> (ContractStore, [Project]) {
        let fixture = try ContractStore(kind)
        let category = try fixture.makeProject("Cat", type: .category)
        var projects: [Project] = []
        for title in ["Gamma", "Alpha", "Beta"] {
            projects.append(try fixture.makeProject(title, parent: category))
        }
        var writes: [CacheWrite] = []
        for (p, project) in projects.enumerated() {
            for i in 0..<23 {
                let app = ["samplesheets", "timeline", "filesfolders"][i % 3]
                writes.append(CacheWrite(
                    appName: app, name: "Item_\(i)_p\(p)", data: json(#""\#(String(repeating: "x", count: i % 4))""#),
                    project: project.uuid))
            }
        }
        try fixture.store.setCacheItems(writes)
        for i in 0..<5 {
            try fixture.store.setCacheItem(appName: "timeline", name: "site-\(i)", data: json("[\(i)]"))
        }
        return (fixture, projects)
    }

    @Test(arguments: StoreKind.available) func itemPagesReturnEveryRowOnceInOrder(kind: StoreKind) throws {
        let (fixture, projects) = try Self.populated(kind)
        let store = fixture.store
        for sort in ItemSort.allCases {
            for app in [String?.none, "timeline"] {
                let paged = try Paging.forwards { after in
                    try store.itemPage(project: projects[0].uuid, app: app, sort: sort, after: after, limit: 4, filter: nil)
                }
                let everything = try store.itemPage(project: projects[0].uuid, app: app, sort: sort, after: nil, limit: 1000, filter: nil)
                #expect(paged == everything, "\(sort) \(app ?? "all")")
                #expect(Set(paged.map(\.uuid)).count == paged.count)
                #expect(paged.count == (app == nil ? 23 : 8))
                switch sort {
                case .name:
                    #expect(paged.map { [$0.appName, $0.name] } == paged.map { [$0.appName, $0.name] }.sorted { $0.lexicographicallyPrecedes($1) })
                case .updated:
                    #expect(zip(paged, paged.dropFirst()).allSatisfy { $0.dateModified >= $1.dateModified })
                case .size:
                    #expect(zip(paged, paged.dropFirst()).allSatisfy { $0.size >= $1.size })
                    #expect(paged.first?.size == 5)
                }
            }
        }
        let filtered = try store.itemPage(project: projects[1].uuid, app: nil, sort: .name, after: nil, limit: 100, filter: "ITEM_2")
        #expect(Set(filtered.map(\.name)) == ["Item_2_p1", "Item_20_p1", "Item_21_p1", "Item_22_p1"])
        #expect(try store.itemPage(project: projects[1].uuid, app: nil, sort: .name, after: nil, limit: 100, filter: "%").isEmpty)
        let site = try store.itemPage(project: nil, app: nil, sort: .name, after: nil, limit: 100, filter: nil)
        #expect(site.map(\.name) == (0..<5).map { "site-\($0)" })
    }

    @Test(arguments: StoreKind.available) func projectPagesAreInTreeOrderWithCounts(kind: StoreKind) throws {
        let (fixture, _) = try Self.populated(kind)
        let store = fixture.store
        let paged = try Paging.forwards(pageSize: 2) { after in try store.projectPage(after: after, limit: 2, filter: nil) }
        #expect(paged.map(\.project.fullTitle) == ["Cat", "Cat / Alpha", "Cat / Beta", "Cat / Gamma"])
        #expect(paged.map(\.depth) == [0, 1, 1, 1])
        #expect(paged.map(\.itemCount) == [0, 23, 23, 23])
        #expect(paged[0].latestUpdate == nil)
        #expect(paged[1].latestUpdate != nil)
        #expect(paged[1].project.parent == paged[0].project.uuid)
        let filtered = try store.projectPage(after: nil, limit: 10, filter: "cat / b")
        #expect(filtered.map(\.project.title) == ["Beta"])
        #expect(try store.allProjects().map(\.fullTitle) == paged.map(\.project.fullTitle))
        #expect(try store.project(uuid: paged[2].project.uuid)?.fullTitle == "Cat / Beta")
        #expect(try store.project(uuid: UUID()) == nil)
    }

    @Test(arguments: StoreKind.available) func pagesBackwardsFromTheEndMeetThePagesForwards(kind: StoreKind) throws {
        let (fixture, projects) = try Self.populated(kind)
        let store = fixture.store
        for sort in ItemSort.allCases {
            let forwards = try store.itemPage(project: projects[0].uuid, app: nil, sort: sort, after: nil, limit: 1000, filter: nil)
            let backwards = try Paging.backwards { before in
                try store.itemPage(project: projects[0].uuid, app: nil, sort: sort, before: before, limit: 4, filter: nil)
            }
            #expect(backwards == forwards, "\(sort)")
        }
        let last = try store.projectPage(before: nil, limit: 2, filter: nil)
        #expect(last.map(\.project.title) == ["Beta", "Gamma"])
        #expect(try store.projectPage(before: last.first, limit: 5, filter: nil).map(\.project.title) == ["Cat", "Alpha"])
        #expect(try store.projectPage(before: nil, limit: 5, filter: "a").map(\.project.title) == ["Cat", "Alpha", "Beta", "Gamma"])
        let apps = try store.appPage(project: projects[0].uuid, before: nil, limit: 2, filter: nil)
        #expect(apps.map(\.appName) == ["samplesheets", "timeline"])
        #expect(try store.appPage(project: projects[0].uuid, before: apps.first, limit: 2, filter: nil).map(\.appName) == ["filesfolders"])
    }

    @Test(arguments: StoreKind.available) func itemsOfAnAppNoLongerRegisteredCanBeReadAndDeleted(kind: StoreKind) throws {
        let (fixture, projects) = try Self.populated(kind)
        let narrower = try fixture.reopen(apps: ["samplesheets"])
        #expect(try narrower.getCacheItem(appName: "timeline", name: "Item_1_p0", project: projects[0].uuid) != nil)
        #expect(try narrower.getUpdateTime(appName: "timeline", name: "Item_1_p0", project: projects[0].uuid) != nil)
        try narrower.deleteCacheItem(appName: "timeline", name: "Item_1_p0", project: projects[0].uuid)
        #expect(try narrower.deleteCache(appName: "timeline", project: projects[1].uuid) == 8)
        #expect(throws: CacheError.self) {
            try narrower.setCacheItem(appName: "timeline", name: "new", data: json("{}"))
        }
        #expect(try fixture.store.totals().items == 74 - 9)
    }

    @Test(arguments: StoreKind.available) func appPagesSumTheirItems(kind: StoreKind) throws {
        let (fixture, projects) = try Self.populated(kind)
        let store = fixture.store
        let apps = try Paging.forwards(pageSize: 2) { after in
            try store.appPage(project: projects[0].uuid, after: after, limit: 2, filter: nil)
        }
        #expect(apps.map(\.appName) == ["filesfolders", "samplesheets", "timeline"])
        #expect(apps.map(\.itemCount) == [7, 8, 8])
        let items = try store.itemPage(project: projects[0].uuid, app: "timeline", sort: .name, after: nil, limit: 100, filter: nil)
        #expect(apps[2].totalSize == items.map(\.size).reduce(0, +))
        #expect(apps[2].latestUpdate == items.map(\.dateModified).max())
        #expect(try store.appPage(project: projects[0].uuid, after: nil, limit: 10, filter: "LINE").map(\.appName) == ["timeline"])
        #expect(try store.appPage(project: nil, after: nil, limit: 10, filter: nil).map(\.itemCount) == [5])
        #expect(throws: CacheError.self) { try store.appPage(project: UUID(), after: nil, limit: 10, filter: nil) }
    }

    @Test(arguments: StoreKind.available) func itemByUUIDAndTotals(kind: StoreKind) throws {
        let (fixture, projects) = try Self.populated(kind)
        let store = fixture.store
        let summary = try #require(try store.itemPage(project: projects[2].uuid, app: "timeline", sort: .name, after: nil, limit: 1, filter: nil).first)
        let item = try #require(try store.item(uuid: summary.uuid))
        #expect(item.name == summary.name)
        #expect(item.project == projects[2].uuid)
        #expect(item.size == summary.size)
        #expect(try store.item(uuid: UUID()) == nil)
        let totals = try store.totals()
        #expect(totals.items == 74)
        #expect(totals.siteItems == 5)
        #expect(totals.projects == 3)
        #expect(totals.categories == 1)
        let all = try Paging.forwards(pageSize: 10) { after in try store.allItemsPage(after: after, limit: 10) }
        #expect(totals.bytes == all.map(\.size).reduce(0, +))
    }

    @Test(arguments: StoreKind.available) func maintenanceListsInTreeOrderAndDeletes(kind: StoreKind) throws {
        let (fixture, projects) = try Self.populated(kind)
        let store = fixture.store
        let all = try Paging.forwards(pageSize: 7) { after in try store.items(matching: CacheFilter(), after: after, limit: 7) }
        #expect(all.count == 74)
        #expect(all.prefix(5).allSatisfy { $0.project == nil })
        // Alpha (projects[1]), Beta (projects[2]), Gamma (projects[0]): tree order, not insertion.
        let order = all.dropFirst(5).map(\.project)
        #expect(order.first == projects[1].uuid)
        #expect(order.last == projects[0].uuid)
        var streamed: [ItemSummary] = []
        try store.forEachItemPage(matching: CacheFilter(), pageSize: 9) { streamed += $0 }
        #expect(streamed == all)
        let scoped = CacheFilter(scope: .project(projects[2].uuid), appName: "timeline")
        #expect(try store.countItems(matching: scoped) == ["timeline": 8])
        #expect(try store.countItems(matching: CacheFilter(scope: .site)) == ["timeline": 5])
        #expect(try store.deleteItems(matching: scoped) == 8)
        let doomed = try store.items(matching: CacheFilter(scope: .project(projects[0].uuid)), after: nil, limit: 3)
        #expect(try store.deleteItems(uuids: doomed.map(\.uuid) + [UUID()]) == 3)
        #expect(try store.totals().items == 74 - 11)
        // Older than: nothing is older than an hour ago; everything is older than the future.
        #expect(try store.deleteItems(matching: CacheFilter(olderThan: Date().addingTimeInterval(-3600))) == 0)
        #expect(try store.deleteItems(matching: CacheFilter(scope: .site, olderThan: Date().addingTimeInterval(60))) == 5)
    }

    @Test(arguments: StoreKind.available) func aDeleteOfItemsAsShownKeepsOnesRewrittenSince(kind: StoreKind) throws {
        let (fixture, projects) = try Self.populated(kind)
        let store = fixture.store
        let shown = try store.itemPage(project: projects[0].uuid, app: nil, sort: .name, after: nil, limit: 3, filter: nil)
        #expect(shown.count == 3)
        // Another writer rewrites the second one after it was shown, and a third is gone.
        try store.setCacheItem(appName: shown[1].appName, name: shown[1].name, data: json("{\"new\": true}"), project: projects[0].uuid)
        #expect(try store.deleteItems(uuids: [shown[2].uuid]) == 1)
        let result = try store.deleteItems(shown: Dictionary(uniqueKeysWithValues: shown.map { ($0.uuid, ShownItem($0)) }))
        #expect(result.deleted == 1)
        #expect(result.changed == 1)
        #expect(try store.item(uuid: shown[0].uuid) == nil)
        let kept = try #require(try store.getCacheItem(appName: shown[1].appName, name: shown[1].name, project: projects[0].uuid))
        #expect(text(kept.data).contains("new"))
    }

    /// SODAR Core never moves `date_modified` when it rewrites an item (`auto_now_add`): a delete
    /// of items as shown compares the row version, so SODAR's rewrite while a dialog is open
    /// (new data, or the same data again) is kept, and an item SODAR added meanwhile is not taken.
    @Test(arguments: StoreKind.available.filter { $0 == .sodar || $0 == .postgres })
    func aDeleteAsShownKeepsWhatSODARRewroteWithoutMovingItsTime(kind: StoreKind) throws {
        let (fixture, projects) = try Self.populated(kind)
        let store = fixture.store
        let filter = CacheFilter(scope: .project(projects[0].uuid))
        let shown = try store.items(matching: filter, after: nil, limit: 1_000)
        #expect(shown.count >= 3 && shown.allSatisfy { $0.version != nil })
        let table = kind == .sodar ? "sodarcache_jsoncacheitem" : "sodarcache_item"
        // As SODAR writes: the data replaced (and, second, rewritten as it was), the time left alone.
        try fixture.sql("UPDATE \(table) SET data = '{\"sodar\": \"new\"}' WHERE sodar_uuid = $1::uuid", [shown[0].uuid.uuidString.lowercased()])
        try fixture.sql("UPDATE \(table) SET data = data WHERE sodar_uuid = $1::uuid", [shown[1].uuid.uuidString.lowercased()])
        // And an item written after the dialog was shown.
        try store.setCacheItem(appName: "timeline", name: "written-meanwhile", data: json("{}"), project: projects[0].uuid)
        let result = try store.deleteItems(shown: Dictionary(uniqueKeysWithValues: shown.map { ($0.uuid, ShownItem($0)) }))
        #expect(result.deleted == shown.count - 2)
        #expect(result.changed == 2)
        #expect(try store.item(uuid: shown[0].uuid).map { text($0.data) }?.contains("new") == true)
        #expect(try store.item(uuid: shown[1].uuid) != nil)
        #expect(try store.getCacheItem(appName: "timeline", name: "written-meanwhile", project: projects[0].uuid) != nil)
        #expect(try store.items(matching: filter, after: nil, limit: 1_000).count == 3)
    }

    @Test(arguments: StoreKind.available) func pagingGoesOnAfterARowDeletedMeanwhile(kind: StoreKind) throws {
        let (fixture, _) = try Self.populated(kind)
        let store = fixture.store
        for filter in [CacheFilter(), CacheFilter(appNotIn: ["samplesheets"])] {
            let all = try Paging.forwards(pageSize: 1_000) { after in try store.items(matching: filter, after: after, limit: 1_000) }
            let first = try store.items(matching: filter, after: nil, limit: 10)
            let last = try #require(first.last)
            // Another process deletes the last row of the page just read.
            #expect(try store.deleteItems(uuids: [last.uuid]) == 1)
            let next = try store.items(matching: filter, after: last, limit: 5)
            #expect(next == Array(all[10..<15]), "\(kind) \(filter.appNotIn == nil ? "all" : "orphans")")
        }
    }

    @Test(arguments: StoreKind.available) func orphansAreItemsOfUnregisteredApps(kind: StoreKind) throws {
        let (fixture, projects) = try Self.populated(kind)
        let store = fixture.store
        let filter = CacheFilter(appNotIn: ["samplesheets", "filesfolders"])
        let orphans = try Paging.forwards(pageSize: 10) { after in try store.items(matching: filter, after: after, limit: 10) }
        #expect(orphans.count == 3 * 8 + 5)
        #expect(orphans.allSatisfy { $0.appName == "timeline" })
        #expect(try store.countItems(matching: filter) == ["timeline": 29])
        #expect(try store.deleteItems(matching: CacheFilter(scope: .project(projects[0].uuid), appNotIn: ["samplesheets", "filesfolders"])) == 8)
        #expect(try store.deleteItems(matching: filter) == 21)
        #expect(try store.countItems(matching: CacheFilter()) == ["samplesheets": 24, "filesfolders": 21])
    }
    @Test(arguments: StoreKind.available) func orphansComeByUUIDInEveryScope(kind: StoreKind) throws {
        let (fixture, projects) = try Self.populated(kind)
        let store = fixture.store
        let registered: Set<String> = ["samplesheets", "filesfolders"]
        let filter = CacheFilter(appNotIn: registered)
        let all = try Paging.forwards(pageSize: 7) { after in try store.items(matching: filter, after: after, limit: 7) }
        #expect(all.count == 3 * 8 + 5)
        #expect(all.map(\.uuid.uuidString) == all.map(\.uuid.uuidString).sorted())
        var listed: [ItemSummary] = []
        try store.forEachItemPage(matching: filter, pageSize: 4) { listed += $0 }
        #expect(listed == all)
        let scoped = try Paging.forwards(pageSize: 3) { after in
            try store.items(matching: CacheFilter(scope: .project(projects[1].uuid), appNotIn: registered), after: after, limit: 3)
        }
        #expect(scoped == all.filter { $0.project == projects[1].uuid })
        let site = try store.items(matching: CacheFilter(scope: .site, appNotIn: registered), after: nil, limit: 50)
        #expect(site == all.filter { $0.project == nil })
        #expect(try store.items(matching: CacheFilter(appNotIn: ["samplesheets", "filesfolders", "timeline"]), after: nil, limit: 50).isEmpty)
        #expect(try store.items(matching: CacheFilter(appName: "timeline", appNotIn: registered), after: nil, limit: 50) == Array(all.prefix(50)))
    }

    // MARK: - Moved from the SQLite suite: what every engine must do

    @Test(arguments: StoreKind.available) func itemFilterIsCaseInsensitiveAndLiteral(kind: StoreKind) throws {
        let (fixture, projects) = try Self.populated(kind)
        let store = fixture.store
        let hits = try store.itemPage(
            project: projects[1].uuid, app: nil, sort: .name, after: nil, limit: 100, filter: "item_1")
        #expect(Set(hits.map(\.name)) == Set(["Item_1_p1", "Item_10_p1", "Item_11_p1", "Item_12_p1", "Item_13_p1",
                                              "Item_14_p1", "Item_15_p1", "Item_16_p1", "Item_17_p1", "Item_18_p1", "Item_19_p1"]))
        let none = try store.itemPage(project: projects[1].uuid, app: nil, sort: .name, after: nil, limit: 100, filter: "%")
        #expect(none.isEmpty)
    }

    /// Issue 13, item 12: the last page comes from a reverse keyset query, and pages read
    /// backwards from it give the same list as pages read forwards.
    @Test(arguments: StoreKind.available) func itemPagesBeforeReadTheSameListBackwards(kind: StoreKind) throws {
        let (fixture, projects) = try Self.populated(kind)
        let store = fixture.store
        for sort in ItemSort.allCases {
        for app in [String?.none, "timeline"] {
        let project = projects[0].uuid
        let everything = try store.itemPage(project: project, app: app, sort: sort, after: nil, limit: 1000, filter: nil)
        let last = try store.itemPage(project: project, app: app, sort: sort, before: nil, limit: 3, filter: nil)
        #expect(last == Array(everything.suffix(3)))
        let backwards = try Paging.backwards { before in
            try store.itemPage(project: project, app: app, sort: sort, before: before, limit: 4, filter: nil)
        }
        #expect(backwards == everything)
        let filtered = try store.itemPage(project: project, app: app, sort: sort, before: nil, limit: 100, filter: "_1")
        #expect(filtered == everything.filter { $0.name.contains("_1") })
        }
        }
    }

    @Test(arguments: StoreKind.available) func projectAndAppPagesBeforeEndAtTheTrueLastRow(kind: StoreKind) throws {
        let (fixture, projects) = try Self.populated(kind)
        let store = fixture.store
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
    @Test(arguments: StoreKind.available) func totalsCountProjectsAndCategoriesApart(kind: StoreKind) throws {
        let (fixture, _) = try Self.populated(kind)
        let store = fixture.store
        let totals = try store.totals()
        #expect(totals.projects == 3)
        #expect(totals.categories == 1)
        try fixture.makeProject("Other", type: .category)
        #expect(try store.totals().categories == 2)
        #expect(try store.totals().projects == 3)
    }

    @Test(arguments: StoreKind.available) func projectPagesInTreeOrderWithCounts(kind: StoreKind) throws {
        let (fixture, _) = try Self.populated(kind)
        let store = fixture.store
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

    @Test(arguments: StoreKind.available) func appPagesWithCountsAndSizes(kind: StoreKind) throws {
        let (fixture, projects) = try Self.populated(kind)
        let store = fixture.store
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

    @Test(arguments: StoreKind.available) func allItemsPageVisitsSiteThenProjectsInTreeOrder(kind: StoreKind) throws {
        let (fixture, projects) = try Self.populated(kind)
        let store = fixture.store
        let paged = try Paging.forwards { after in try store.allItemsPage(after: after, limit: 4) }
        #expect(paged.count == 5 + 3 * 23)
        #expect(Set(paged.map(\.uuid)).count == paged.count)
        #expect(paged.prefix(5).allSatisfy { $0.project == nil })
        let order = [projects[1].uuid, projects[2].uuid, projects[0].uuid]  // Alpha, Beta, Gamma
        var seen: [UUID] = []
        for item in paged.dropFirst(5) where seen.last != item.project { seen.append(item.project!) }
        #expect(seen == order)
    }

    @Test(arguments: StoreKind.available) func filtersDriveItemsCountsAndDeletes(kind: StoreKind) throws {
        let (fixture, projects) = try Self.populated(kind)
        let store = fixture.store
        let all = CacheFilter()
        #expect(try store.countItems(matching: all).values.reduce(0, +) == 74)
        let timeline = CacheFilter(scope: .all, appName: "timeline")
        let pagedTimeline = try Paging.forwards { after in try store.items(matching: timeline, after: after, limit: 4) }
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

    @Test(arguments: StoreKind.available) func itemByUUIDCarriesProjectAndPayload(kind: StoreKind) throws {
        let (fixture, projects) = try Self.populated(kind)
        let store = fixture.store
        let summary = try #require(
            try store.itemPage(project: projects[0].uuid, app: "timeline", sort: .name, after: nil, limit: 1, filter: nil).first)
        let item = try #require(try store.item(uuid: summary.uuid))
        #expect(item.project == projects[0].uuid)
        #expect(item.name == summary.name)
        #expect(item.data.count == summary.size)
        #expect(try store.item(uuid: UUID()) == nil)
    }
}
