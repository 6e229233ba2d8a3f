import Foundation
import SodarCache
@testable import SodarCachePostgres
import StoreKernel
import TestSupport
import Testing

/// PostgreSQL's project pages in tree order, read one branch at a time without the listing,
/// must equal the listing's pages: the same rows, order, depths, full titles and figures.
@Suite(.enabled(if: TestServer.uri != nil)) struct PostgresTreePageTests {
    /// Three levels of categories with projects at every level; titles that differ only in
    /// case (ordered by UUID), non-ASCII titles, an empty category, items spread unevenly.
    static func populate(_ contract: ContractStore) throws -> [Project] {
        var random = SplitMix64(seed: 7)
        var projects: [Project] = []
        var categories: [Project?] = [nil]
        let titles = ["alpha", "Alpha", "beta", "Beta", "gamma", "delta", "Delta", "Zed", "_x", "ärger"]
        for index in 0..<40 {
            let parent = categories[Int(random.next() % UInt64(categories.count))]
            if (parent?.fullTitle.components(separatedBy: " / ").count ?? 0) < 3, random.next() % 3 == 0 {
                categories.append(try contract.makeProject("\(titles[index % titles.count]) c\(index % 4)", type: .category, parent: parent))
            } else {
                let title = titles[index % titles.count] + (index < titles.count ? "" : " \(index / titles.count)")
                projects.append(try contract.makeProject(title, parent: parent))
            }
        }
        _ = try contract.makeProject("empty", type: .category)
        for (index, project) in projects.enumerated() where index % 5 != 0 {
            for item in 0..<(1 + index % 4) {
                let payload = json("\"" + String(repeating: "p", count: 10 * (index + item)) + "\"")
                try contract.store.setCacheItem(appName: "timeline", name: "i\(item)", data: payload, project: project.uuid)
            }
        }
        try contract.store.setCacheItem(appName: "timeline", name: "site", data: json("[1]"))
        return categories.compactMap { $0 }
    }

    static func queries(_ categories: [Project]) -> [ProjectQuery] {
        let some = Set(categories.enumerated().filter { $0.offset % 2 == 0 }.map(\.element.uuid))
        return [
            ProjectQuery(), ProjectQuery(folded: some), ProjectQuery(foldAll: true),
            ProjectQuery(folded: Set(categories.prefix(3).map(\.uuid)), foldAll: true),
        ]
    }

    /// The listing's page, straight from the listing (the change token is the server's, so
    /// any write elsewhere would send `projectPage` to the tree page again).
    static func listed(_ store: PostgresCacheStore, after: ProjectSummary?, limit: Int, query: ProjectQuery) throws -> [ProjectSummary] {
        let listing = try store.listing()
        return try store.listedProjects(listing, positions: listing.positions(after: after, limit: limit, query: query))
    }

    static func open(_ contract: ContractStore, largeTable: Bool, walkLimit: Int? = nil) throws -> PostgresCacheStore {
        let store = try #require(try contract.reopen() as? PostgresCacheStore)
        if largeTable { store.exactCountLimit.withLock { $0 = 5 } }
        if let walkLimit { store.walkLimit.withLock { $0 = walkLimit } }
        return store
    }

    /// The first page both ways on fresh store instances, for several limits and folds.
    func compare(_ contract: ContractStore, _ categories: [Project], largeTable: Bool = false, walkLimit: Int? = nil) throws {
        var compared = 0
        for query in Self.queries(categories) {
            for limit in [1, 2, 5, 13, 100] {
                let direct = try Self.open(contract, largeTable: largeTable, walkLimit: walkLimit)
                let page = try #require(try direct.treePage(after: nil, limit: limit, query: query))
                let listed = try Self.open(contract, largeTable: largeTable)
                let expected = try Self.listed(listed, after: nil, limit: limit, query: query)
                // The listing's background count (1 s later) would make its figures exact.
                if largeTable, listed.sodarProjectTotals.withLock({ $0 != nil }) { continue }
                #expect(!page.isEmpty)
                #expect(page == expected, "limit \(limit), folded \(query.folded.count), all \(query.foldAll)")
                compared += 1
            }
        }
        #expect(compared > 0)
    }

    /// Pages after every row, nothing folded, both ways.
    func compareAfterEveryRow(_ contract: ContractStore, largeTable: Bool = false) throws {
        let listed = try Self.open(contract, largeTable: largeTable)
        let all = try Self.listed(listed, after: nil, limit: 1_000, query: ProjectQuery())
        let direct = try Self.open(contract, largeTable: largeTable)
        for (index, row) in all.enumerated() {
            for limit in [1, 4, 100] {
                let page = try #require(try direct.treePage(after: row, limit: limit, query: ProjectQuery()))
                let expected = try Self.listed(listed, after: row, limit: limit, query: ProjectQuery())
                if largeTable, listed.sodarProjectTotals.withLock({ $0 != nil }) { return }
                #expect(page == expected, "after row \(index) (\(row.project.fullTitle)), limit \(limit)")
                #expect(page.map(\.project.uuid) == all.dropFirst(index + 1).prefix(limit).map(\.project.uuid))
            }
        }
        // A row deleted meanwhile: the listing answers (it knows where the row stood).
        let gone = ProjectSummary(project: Project(title: "gone"), depth: 0, itemCount: 0, latestUpdate: nil)
        #expect(try direct.treePage(after: gone, limit: 5, query: ProjectQuery()) == nil)
    }

    @Test func theTreePagesEqualTheListings() throws {
        let contract = try ContractStore(.postgres)
        let categories = try Self.populate(contract)
        try compare(contract, categories)
        // Subtrees too large to walk row by row are summed by the whole-table statement.
        try compare(contract, categories, walkLimit: 3)
        try compareAfterEveryRow(contract)
        // A project row removed under its items (another writer; no foreign key from items):
        // its bytes still count in the top level's shares, on both paths alike.
        let lost = try #require(try contract.store.projectPage(after: nil, limit: 1_000, query: ProjectQuery())
            .first { $0.project.type == .project && $0.itemCount > 0 && $0.depth == 0 })
        try contract.sql("DELETE FROM sodarcache_project WHERE sodar_uuid = $1::uuid", [lost.project.uuid.uuidString.lowercased()])
        try compare(contract, categories)
    }

    @Test func concurrentPagesWhileTheListingIsReadAgree() throws {
        let contract = try ContractStore(.postgres)
        _ = try Self.populate(contract)
        let store = try Self.open(contract, largeTable: false)
        let expected = try Self.listed(try Self.open(contract, largeTable: false), after: nil, limit: 1_000, query: ProjectQuery())
        let results = Locked<[[UUID]]>([])
        let failures = Locked<[String]>([])
        // Tree pages, the background listing read they schedule, and pages that need the
        // listing (folded, by size), all at once on one store.
        DispatchQueue.concurrentPerform(iterations: 24) { index in
            do {
                let query = index % 3 == 2 ? ProjectQuery(order: .size) : ProjectQuery()
                let rows = try Paging.forwards(pageSize: 4 + index % 5) { after in
                    try store.projectPage(after: after, limit: 4 + index % 5, query: query)
                }
                if index % 3 != 2 { results.withLock { $0.append(rows.map(\.project.uuid)) } }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty)
        let all = results.withLock { $0 }
        #expect(all.count == 16)
        #expect(all.allSatisfy { $0 == expected.map(\.project.uuid) })
    }

    @Test func aSmallSODARTableIsLeftToTheListing() throws {
        let contract = try ContractStore(.sodar)
        _ = try Self.populate(contract)
        let store = try Self.open(contract, largeTable: false)
        #expect(try store.treePage(after: nil, limit: 10, query: ProjectQuery()) == nil)
        #expect(try store.projectPage(after: nil, limit: 10, query: ProjectQuery()).count == 10)
    }

    @Test func aLargeSODARTableShowsFreshCountsAndUnknownSubtreesAsTheListingDoes() throws {
        let contract = try ContractStore(.sodar)
        let categories = try Self.populate(contract)
        try contract.sql("ANALYZE sodarcache_jsoncacheitem")
        try compare(contract, categories, largeTable: true)
        try compareAfterEveryRow(contract, largeTable: true)
        let store = try #require(try contract.reopen() as? PostgresCacheStore)
        store.exactCountLimit.withLock { $0 = 5 }
        let page = try #require(try store.treePage(after: nil, limit: 100, query: ProjectQuery()))
        #expect(page.contains { $0.project.type == .category && $0.subtree == nil })
        #expect(page.contains { $0.project.type == .project && $0.itemCount > 0 })
    }

    @Test func aLargeSODARTablesTotalsStartAsAnEstimateFromASampleThenTheCountComes() throws {
        let contract = try ContractStore(.sodar)
        _ = try Self.populate(contract)
        try contract.sql("ANALYZE sodarcache_jsoncacheitem")
        let exact = try #require(try contract.reopen() as? PostgresCacheStore).totals()
        #expect(!exact.estimated)
        let store = try #require(try contract.reopen() as? PostgresCacheStore)
        store.exactCountLimit.withLock { $0 = 5 }
        let first = try store.totals()
        #expect(first.estimated)
        // A table of fewer blocks than the sample is read whole: the mean size is exact, and
        // after ANALYZE so is the planner's row count.
        #expect(first.items == exact.items)
        #expect(first.bytes == exact.bytes)
        #expect(first.siteItems == exact.siteItems)
        #expect(first.projects == exact.projects)
        // The exact count follows in the background (3 s later).
        let later = try poll(timeout: 20, every: 0.25) { () throws -> StoreTotals? in
            let totals = try store.totals()
            return totals.estimated ? nil : totals
        } ?? first
        #expect(!later.estimated)
        #expect(later == exact)
    }

    @Test func theBrowsersFirstPageNeedsNoListingAndTheNextPagesFollowIt() throws {
        let contract = try ContractStore(.postgres)
        let categories = try Self.populate(contract)
        let store = try #require(try contract.reopen() as? PostgresCacheStore)
        let first = try store.projectPage(after: nil, limit: 7, query: ProjectQuery())
        #expect(first.count == 7)
        // Keyset pages after it, from the listing, continue in tree order without a gap.
        var rows = first
        while let last = rows.last {
            let page = try store.projectPage(after: last, limit: 7, query: ProjectQuery())
            if page.isEmpty { break }
            rows += page
        }
        let whole = try store.projectPage(after: nil, limit: 1_000, query: ProjectQuery())
        #expect(rows.map(\.project.uuid) == whole.map(\.project.uuid))
        #expect(rows.count == categories.count + 1 + whole.filter { $0.project.type == .project }.count)
    }
}

/// `--orphans` on sodarcache's schema finds its groups by app (v4's index) and by the projects
/// gone from `sodarcache_project_totals`: the same items as the pair-by-pair scan finds.
@Suite(.enabled(if: TestServer.uri != nil)) struct PostgresOrphanTests {
    @Test func orphansOfUnregisteredAppsAndOfProjectsGoneAreFoundWholeStore() throws {
        let contract = try ContractStore(.postgres)
        let store = contract.store
        let kept = try contract.makeProject("Kept")
        let lost = try contract.makeProject("Lost")
        for index in 0..<6 {
            try store.setCacheItem(appName: "samplesheets", name: "k\(index)", data: json("[\(index)]"), project: kept.uuid)
            try store.setCacheItem(appName: "timeline", name: "k\(index)", data: json("[\(index)]"), project: kept.uuid)
            try store.setCacheItem(appName: "samplesheets", name: "l\(index)", data: json("[\(index)]"), project: lost.uuid)
        }
        try store.setCacheItem(appName: "timeline", name: "site", data: json("1"))
        try store.setCacheItem(appName: "samplesheets", name: "site", data: json("2"))
        // Another writer removed the project row and left its items (the schema has no foreign
        // key from items to projects): they are orphans whatever their app.
        try contract.sql("DELETE FROM sodarcache_project WHERE sodar_uuid = $1::uuid", [lost.uuid.uuidString.lowercased()])
        let registered: Set<String> = ["samplesheets", "filesfolders"]
        let orphans = try Paging.forwards { after in try store.items(matching: CacheFilter(appNotIn: registered), after: after, limit: 4) }
        #expect(orphans.count == 6 + 6 + 1)
        #expect(orphans.map(\.uuid.uuidString) == orphans.map(\.uuid.uuidString).sorted())
        #expect(orphans.filter { $0.appName == "samplesheets" }.count == 6)
        #expect(try store.countItems(matching: CacheFilter(appNotIn: registered)) == ["timeline": 7, "samplesheets": 6])
        // With no app registered, only the project gone makes orphans.
        #expect(try store.countItems(matching: CacheFilter(appNotIn: [])) == ["samplesheets": 6])
        #expect(try store.deleteItems(matching: CacheFilter(appNotIn: registered)) == 13)
        #expect(try store.countItems(matching: CacheFilter()) == ["samplesheets": 7])
    }
}
