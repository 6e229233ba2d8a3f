import Foundation
import Testing
import SodarCache
@testable import SodarCacheSQLite

@Suite struct ProjectDirectoryTests {
    let fixture: StoreFixture
    var store: SQLiteCacheStore { fixture.store }

    init() throws { fixture = try StoreFixture() }

    @Test func fullTitleFollowsTheParentChain() throws {
        let top = try store.addProject(Project(title: "Top", type: .category))
        let sub = try store.addProject(Project(title: "Sub", type: .category, parent: top.uuid))
        let leaf = try store.addProject(Project(title: "Leaf", parent: sub.uuid, path: "/data/leaf"))
        #expect(leaf.fullTitle == "Top / Sub / Leaf")
        let stored = try #require(try store.project(uuid: leaf.uuid))
        #expect(stored.fullTitle == "Top / Sub / Leaf")
        #expect(stored.path == "/data/leaf")
        #expect(stored.parent == sub.uuid)
        #expect(try store.project(uuid: UUID()) == nil)
    }

    @Test func siblingsWithEqualTitlesKeepTheirSubtreesApart() throws {
        let first = try store.addProject(Project(uuid: UUID(uuidString: "00000000-0000-4000-8000-000000000001")!, title: "Cat", type: .category))
        let second = try store.addProject(Project(uuid: UUID(uuidString: "00000000-0000-4000-8000-000000000002")!, title: "cat", type: .category))
        try store.addProject(Project(title: "zz", parent: first.uuid))
        try store.addProject(Project(title: "aa", parent: second.uuid))
        try store.addProject(Project(title: "Cat (old)"))
        let order = try store.allProjects().map(\.fullTitle)
        #expect(order == ["Cat", "Cat / zz", "cat", "cat / aa", "Cat (old)"])
        // The project tree pages in the same order.
        let page = try store.projectPage(after: nil, limit: 10, filter: nil).map(\.project.fullTitle)
        #expect(page == order)
    }

    @Test func importKeepsAPathTheListDoesNotCarry() throws {
        let project = try store.addProject(Project(title: "P", path: "/data/p"))
        try store.importProjects([Project(uuid: project.uuid, title: "P renamed")])
        let stored = try #require(try store.project(uuid: project.uuid))
        #expect(stored.title == "P renamed")
        #expect(stored.path == "/data/p")
    }

    @Test func addRejectsBadParentsAndDuplicates() throws {
        let project = try store.addProject(Project(title: "P"))
        let missing = UUID()
        #expect(throws: CacheError.projectNotFound(missing.sodarString)) {
            try store.addProject(Project(title: "X", parent: missing))
        }
        #expect(throws: CacheError.self) { try store.addProject(Project(title: "X", parent: project.uuid)) }
        #expect(throws: CacheError.self) { try store.addProject(Project(uuid: project.uuid, title: "Again")) }
        #expect(try store.allProjects().count == 1)
    }

    @Test func renameAndMoveRecomputeDescendants() throws {
        let a = try store.addProject(Project(title: "A", type: .category))
        let b = try store.addProject(Project(title: "B", type: .category))
        let sub = try store.addProject(Project(title: "Sub", type: .category, parent: a.uuid))
        let leaf = try store.addProject(Project(title: "Leaf", parent: sub.uuid))
        var renamed = a
        renamed.title = "Alpha"
        try store.updateProject(renamed)
        #expect(try store.project(uuid: leaf.uuid)?.fullTitle == "Alpha / Sub / Leaf")
        var moved = try #require(try store.project(uuid: sub.uuid))
        moved.parent = b.uuid
        let result = try store.updateProject(moved)
        #expect(result.fullTitle == "B / Sub")
        #expect(try store.project(uuid: leaf.uuid)?.fullTitle == "B / Sub / Leaf")
        // No cycles: a category cannot move under its own descendant.
        var cyclic = b
        cyclic.parent = sub.uuid
        #expect(throws: CacheError.self) { try store.updateProject(cyclic) }
        #expect(try store.project(uuid: b.uuid)?.parent == nil)
    }

    @Test func treeOrderPutsChildrenRightAfterTheirParent() throws {
        let alpha = try store.addProject(Project(title: "Alpha", type: .category))
        try store.addProject(Project(title: "Alpha (old)"))
        try store.addProject(Project(title: "Zed", parent: alpha.uuid))
        try store.addProject(Project(title: "beta"))
        #expect(try store.allProjects().map(\.fullTitle) == ["Alpha", "Alpha / Zed", "Alpha (old)", "beta"])
    }

    @Test func importAcceptsChildrenBeforeParents() throws {
        let category = Project(title: "Cat", type: .category)
        let child = Project(title: "Child", parent: category.uuid)
        let existing = try store.addProject(Project(title: "Existing"))
        var renamed = existing
        renamed.title = "Renamed"
        let result = try store.importProjects([child, category, renamed])
        #expect(result.created == 2)
        #expect(result.updated == 1)
        #expect(try store.project(uuid: child.uuid)?.fullTitle == "Cat / Child")
        #expect(try store.project(uuid: existing.uuid)?.fullTitle == "Renamed")
    }

    @Test func importWritesNothingWhenAnyRecordIsBad() throws {
        let category = Project(title: "Cat", type: .category)
        let orphan = Project(title: "Orphan", parent: UUID())
        #expect(throws: CacheError.self) { try store.importProjects([category, orphan]) }
        let notCategory = Project(title: "Plain")
        let underPlain = Project(title: "Under", parent: notCategory.uuid)
        #expect(throws: CacheError.self) { try store.importProjects([notCategory, underPlain]) }
        var first = Project(title: "One", type: .category)
        let second = Project(title: "Two", type: .category, parent: first.uuid)
        first.parent = second.uuid
        #expect(throws: CacheError.self) { try store.importProjects([first, second]) }
        #expect(try store.allProjects().isEmpty)
    }
}
