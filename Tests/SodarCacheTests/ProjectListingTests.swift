import Foundation
import SodarCache
import StoreKernel
import Testing

/// The shared project listing: what every engine's `projectPage` is built on.
@Suite struct ProjectListingTests {
    static let rows: [ProjectTree.Row] = [
        .init(id: 1, uuid: UUID(), title: "cat", type: .category, parentID: nil, description: "", path: nil),
        .init(id: 2, uuid: UUID(), title: "B", type: .project, parentID: 1, description: "", path: nil),
        .init(id: 3, uuid: UUID(), title: "a", type: .project, parentID: 1, description: "", path: nil),
        .init(id: 4, uuid: UUID(), title: "Top", type: .project, parentID: nil, description: "", path: nil),
    ]

    @Test func unknownTotalsLeaveCategoriesWithout() {
        let listing = ProjectListing(
            tree: ProjectTree(rows: Self.rows), own: [2: ProjectTotals(items: 1, bytes: 10)], counting: .uncounted)
        let page = listing.page(after: nil, limit: 10, query: ProjectQuery())
        #expect(page.map(\.project.title) == ["cat", "a", "B", "Top"])
        #expect(page[0].subtree == nil)
        #expect(page[0].share == nil)
        #expect(page[2].subtree?.bytes == 10)
        // A fresher own count for a page row replaces the listed one.
        let fresh = listing.summary(at: 2, own: ProjectTotals(items: 5, bytes: 50))
        #expect(fresh.subtree?.items == 5)
        #expect(fresh.itemCount == 5)
    }

    @Test func aRowGoneMeanwhileContinuesWhereItStood() {
        // "a" (under "cat") as a page showed it, then deleted.
        let gone = ProjectListing(tree: ProjectTree(rows: Self.rows), own: [:]).summary(at: 1)
        #expect(gone.project.title == "a")
        let listing = ProjectListing(tree: ProjectTree(rows: Self.rows.filter { $0.title != "a" }), own: [:])
        #expect(listing.page(after: gone, limit: 10, query: ProjectQuery()).map(\.project.title) == ["B", "Top"])
        #expect(listing.page(before: gone, limit: 10, query: ProjectQuery()).map(\.project.title) == ["cat"])
        // By size (all empty: ties go by name), it stood before B too.
        #expect(listing.page(after: gone, limit: 10, query: ProjectQuery(order: .size)).map(\.project.title) == ["B", "Top"])
        #expect(listing.page(before: gone, limit: 10, query: ProjectQuery(order: .size)).map(\.project.title) == ["cat"])
        // Hidden by a fold, its folded category stands in for it.
        let folded = ProjectQuery(folded: [Self.rows[0].uuid], order: .updated)
        #expect(listing.page(after: gone, limit: 10, query: folded).map(\.project.title) == ["Top"])
        #expect(listing.page(before: gone, limit: 10, query: folded).map(\.project.title) == [])
        // A title the full-title comparison got wrong ("a - b" sorts after "a" but its full
        // title before "a / z").
        let tricky = ProjectTree(rows: [
            .init(id: 1, uuid: UUID(), title: "a", type: .category, parentID: nil, description: "", path: nil),
            .init(id: 2, uuid: UUID(), title: "z", type: .project, parentID: 1, description: "", path: nil),
            .init(id: 3, uuid: UUID(), title: "a - b", type: .project, parentID: nil, description: "", path: nil),
            .init(id: 4, uuid: UUID(), title: "a-c", type: .project, parentID: nil, description: "", path: nil),
        ])
        let goneB = ProjectListing(tree: tricky, own: [:]).summary(at: 2)
        #expect(goneB.project.title == "a - b")
        let trickyListing = ProjectListing(tree: ProjectTree(rows: tricky.nodes.filter { $0.project.title != "a - b" }.map {
            ProjectTree.Row(id: $0.id, uuid: $0.project.uuid, title: $0.project.title, type: $0.project.type,
                            parentID: $0.parent.map { tricky.nodes[$0].id }, description: "", path: nil)
        }), own: [:])
        #expect(trickyListing.page(after: goneB, limit: 10, query: ProjectQuery()).map(\.project.title) == ["a-c"])
        #expect(trickyListing.page(before: goneB, limit: 10, query: ProjectQuery()).map(\.project.title) == ["a", "z"])
    }

    @Test func aParentGivenByUUIDAndCyclesLeftOut() {
        var rows = Self.rows
        rows.append(.init(id: 5, uuid: UUID(), title: "child", type: .project, parentID: nil, description: "", path: nil, parentUUID: rows[0].uuid))
        let loopA = UUID(), loopB = UUID()
        rows.append(.init(id: 6, uuid: loopA, title: "x", type: .category, parentID: 7, description: "", path: nil))
        rows.append(.init(id: 7, uuid: loopB, title: "y", type: .category, parentID: 6, description: "", path: nil))
        let tree = ProjectTree(rows: rows)
        #expect(tree.nodes.map(\.project.fullTitle) == ["cat", "cat / a", "cat / B", "cat / child", "Top"])
        #expect(tree.nodes[0].subtreeSize == 4)
        #expect(tree.nodes[0].childCount == 3)
    }

    @Test func aTreeFromRowsInTreeOrderEqualsTheSortedOne() {
        let sorted = ProjectTree(rows: Self.rows)
        let ordered = ProjectTree(ordered: sorted.nodes.map { ($0.id, $0.project, $0.depth) })
        #expect(ordered?.nodes.map(\.project) == sorted.nodes.map(\.project))
        #expect(ordered?.nodes.map(\.subtreeSize) == sorted.nodes.map(\.subtreeSize))
        #expect(ordered?.nodes.map(\.childCount) == sorted.nodes.map(\.childCount))
        #expect(ordered?.nodes.map(\.parent) == sorted.nodes.map(\.parent))
        #expect(ordered.map { ProjectTree.matches($0.nodes[1].project.fullTitle, filter: "cat / a") } == true)
        // A child before its parent is not tree order.
        let shuffled = sorted.nodes.reversed().map { ($0.id, $0.project, $0.depth) }
        #expect(ProjectTree(ordered: shuffled) == nil)
    }
}
