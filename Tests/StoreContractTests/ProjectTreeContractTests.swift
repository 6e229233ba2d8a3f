import Foundation
import SodarCache
import StoreKernel
import Testing
import TestSupport

/// The project tree's subtree totals, folds and sibling orders, the same on every store.
@Suite struct ProjectTreeContractTests {
    /// Site
    /// ├─ Big (category): Deep (category): Leaf (3 items of 100 bytes), and Small (1 item of 5 bytes)
    /// ├─ Empty (category)
    /// └─ Zeta (project): 2 items of 50 bytes, written last
    /// plus 2 site-wide items, which belong to no project.
    struct Fixture {
        var contract: ContractStore
        var big: Project, deep: Project, leaf: Project, small: Project, empty: Project, zeta: Project
        var store: any CacheStore { contract.store }
    }

    static func fixture(_ kind: StoreKind) throws -> Fixture {
        let contract = try ContractStore(kind)
        let big = try contract.makeProject("Big", type: .category)
        let deep = try contract.makeProject("deep", type: .category, parent: big)
        let leaf = try contract.makeProject("Leaf", parent: deep)
        let small = try contract.makeProject("Small", parent: big)
        let empty = try contract.makeProject("Empty", type: .category)
        let zeta = try contract.makeProject("Zeta")
        let store = contract.store
        let hundred = json("\"" + String(repeating: "x", count: 98) + "\"")
        for i in 0..<3 { try store.setCacheItem(appName: "timeline", name: "l\(i)", data: hundred, project: leaf.uuid) }
        try store.setCacheItem(appName: "timeline", name: "s", data: json("\"abc\""), project: small.uuid)
        let fifty = json("\"" + String(repeating: "y", count: 48) + "\"")
        for i in 0..<2 { try store.setCacheItem(appName: "filesfolders", name: "z\(i)", data: fifty, project: zeta.uuid) }
        for i in 0..<2 { try store.setCacheItem(appName: "timeline", name: "site\(i)", data: json("[\(i)]")) }
        return Fixture(contract: contract, big: big, deep: deep, leaf: leaf, small: small, empty: empty, zeta: zeta)
    }

    static func titles(_ rows: [ProjectSummary]) -> [String] { rows.map(\.project.title) }

    static func all(_ store: any CacheStore, _ query: ProjectQuery, pageSize: Int = 2) throws -> [ProjectSummary] {
        try Paging.forwards(pageSize: pageSize) { after in try store.projectPage(after: after, limit: pageSize, query: query) }
    }

    static func allBackwards(_ store: any CacheStore, _ query: ProjectQuery, pageSize: Int = 2) throws -> [ProjectSummary] {
        try Paging.backwards(pageSize: pageSize) { before in try store.projectPage(before: before, limit: pageSize, query: query) }
    }

    @Test(arguments: StoreKind.available) func categoriesCarryTheirSubtreesTotals(kind: StoreKind) throws {
        let fixture = try Self.fixture(kind)
        let rows = try fixture.store.projectPage(after: nil, limit: 100, query: ProjectQuery())
        #expect(Self.titles(rows) == ["Big", "deep", "Leaf", "Small", "Empty", "Zeta"])
        let byTitle = Dictionary(uniqueKeysWithValues: rows.map { ($0.project.title, $0) })
        #expect(byTitle["Big"]?.subtree?.items == 4)
        #expect(byTitle["Big"]?.subtree?.bytes == 305)
        #expect(byTitle["Big"]?.itemCount == 0)
        #expect(byTitle["Big"]?.bytes == 0)
        #expect(byTitle["Big"]?.childCount == 2)
        #expect(byTitle["deep"]?.subtree == ProjectTotals(items: 3, bytes: 300, latestUpdate: byTitle["Leaf"]?.latestUpdate))
        #expect(byTitle["Leaf"]?.subtree?.items == 3)
        #expect(byTitle["Leaf"]?.bytes == 300)
        #expect(byTitle["Empty"]?.subtree == ProjectTotals.zero)
        #expect(byTitle["Zeta"]?.subtree?.bytes == 100)
        // Latest update: the newest beneath.
        #expect(byTitle["Big"]?.subtree?.latestUpdate == byTitle["Small"]?.latestUpdate)
        // Shares: of the parent's bytes; the top level's of all projects' bytes (405).
        #expect(abs((byTitle["Big"]?.share ?? 0) - 305.0 / 405.0) < 1e-9)
        #expect(abs((byTitle["Small"]?.share ?? 0) - 5.0 / 305.0) < 1e-9)
        #expect(byTitle["Leaf"]?.share == 1)
        #expect(byTitle["Empty"]?.share == 0)
    }

    @Test(arguments: StoreKind.available) func totalsFollowWritesAndDeletes(kind: StoreKind) throws {
        let fixture = try Self.fixture(kind)
        let store = fixture.store
        try store.deleteCacheItem(appName: "timeline", name: "s", project: fixture.small.uuid)
        try store.setCacheItem(appName: "timeline", name: "l0", data: json("1"), project: fixture.leaf.uuid)
        let rows = try store.projectPage(after: nil, limit: 100, query: ProjectQuery())
        let big = try #require(rows.first { $0.project.title == "Big" })
        let leaf = try #require(rows.first { $0.project.title == "Leaf" })
        #expect(big.subtree?.items == 3)
        #expect(big.subtree?.bytes == 201)
        #expect(big.subtree?.latestUpdate == leaf.latestUpdate)
        #expect(rows.first { $0.project.title == "Small" }?.subtree == ProjectTotals.zero)
        _ = try store.deleteCache(appName: nil, project: fixture.leaf.uuid)
        let after = try store.projectPage(after: nil, limit: 100, query: ProjectQuery())
        #expect(after.first { $0.project.title == "Big" }?.subtree == ProjectTotals.zero)
        #expect(after.first { $0.project.title == "Leaf" }?.latestUpdate == nil)
    }

    @Test(arguments: StoreKind.available) func foldedCategoriesHideTheirDescendants(kind: StoreKind) throws {
        let fixture = try Self.fixture(kind)
        let store = fixture.store
        let folded = ProjectQuery(folded: [fixture.deep.uuid])
        #expect(Self.titles(try Self.all(store, folded)) == ["Big", "deep", "Small", "Empty", "Zeta"])
        #expect(Self.titles(try Self.allBackwards(store, folded)) == ["Big", "deep", "Small", "Empty", "Zeta"])
        let outer = ProjectQuery(folded: [fixture.big.uuid, fixture.deep.uuid, fixture.empty.uuid])
        for size in 1...3 {
            #expect(Self.titles(try Self.all(store, outer, pageSize: size)) == ["Big", "Empty", "Zeta"])
            #expect(Self.titles(try Self.allBackwards(store, outer, pageSize: size)) == ["Big", "Empty", "Zeta"])
        }
        // A page after a row that a new fold hides goes on after the folded ancestor.
        let leafRow = try #require(try store.projectPage(after: nil, limit: 100, query: ProjectQuery()).first { $0.project.title == "Leaf" })
        #expect(Self.titles(try store.projectPage(after: leafRow, limit: 10, query: outer)) == ["Empty", "Zeta"])
        #expect(Self.titles(try store.projectPage(before: leafRow, limit: 10, query: outer)) == [])
        // A filter shows every match, folds or not.
        var filtered = outer
        filtered.filter = "LEAF"
        #expect(Self.titles(try store.projectPage(after: nil, limit: 10, query: filtered)) == ["Leaf"])
        // Folded totals stay the subtree's.
        let big = try #require(try store.projectPage(after: nil, limit: 1, query: outer).first)
        #expect(big.subtree?.items == 4)
    }

    @Test(arguments: StoreKind.available) func siblingsOrderBySizeOrLatestUpdate(kind: StoreKind) throws {
        let fixture = try Self.fixture(kind)
        let store = fixture.store
        let bySize = ProjectQuery(order: .size)
        // Largest sibling first at each level; children stay under their parent; ties by name.
        #expect(Self.titles(try Self.all(store, bySize)) == ["Big", "deep", "Leaf", "Small", "Zeta", "Empty"])
        #expect(Self.titles(try Self.allBackwards(store, bySize)) == ["Big", "deep", "Leaf", "Small", "Zeta", "Empty"])
        let byUpdate = ProjectQuery(order: .updated)
        #expect(Self.titles(try Self.all(store, byUpdate)) == ["Zeta", "Big", "Small", "deep", "Leaf", "Empty"])
        var folded = byUpdate
        folded.folded = [fixture.big.uuid]
        #expect(Self.titles(try Self.all(store, folded, pageSize: 1)) == ["Zeta", "Big", "Empty"])
        #expect(Self.titles(try Self.allBackwards(store, folded, pageSize: 1)) == ["Zeta", "Big", "Empty"])
        // A write reorders.
        try store.setCacheItem(appName: "timeline", name: "new", data: json("1"), project: fixture.leaf.uuid)
        #expect(Self.titles(try Self.all(store, byUpdate)) == ["Big", "deep", "Leaf", "Small", "Zeta", "Empty"])
    }

    @Test(arguments: StoreKind.available) func everyWayOfReadingTheTreeAgrees(kind: StoreKind) throws {
        let fixture = try Self.fixture(kind)
        let store = fixture.store
        // The plain pages (SQLite reads them by keyset from its index) and pages that go
        // through the whole tree (a fold on a project, which hides nothing) are the same rows.
        let plain = try Self.all(store, ProjectQuery())
        let viaTree = try Self.all(store, ProjectQuery(folded: [fixture.zeta.uuid]))
        #expect(plain == viaTree)
        #expect(try Self.allBackwards(store, ProjectQuery()) == plain)
        for size in 1...4 { #expect(try Self.all(store, ProjectQuery(), pageSize: size) == plain) }
    }
}
