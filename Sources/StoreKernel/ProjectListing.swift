import Foundation
import SodarCache

/// A project tree with every project's own totals: subtree totals, sibling orders, folds and
/// keyset pages, the same for every engine. Engines supply the tree and each project's own
/// totals (kept per project by the store, so nothing here counts items); building this is
/// linear in the number of projects, and each order is sorted once, on first use.
public final class ProjectListing: Sendable {
    public let tree: ProjectTree
    /// Own totals by node position.
    public let own: [ProjectTotals]
    /// Subtree totals by node position (a project's are its own).
    public let subtree: [ProjectTotals]
    /// How the own totals were counted; while they are `.uncounted`, categories' subtree
    /// totals and every byte figure are reported as estimated (not known yet).
    public let counting: Counting
    /// Bytes of every project's items together (the top level's share is measured against it).
    public let allBytes: Int
    private let orders = Locked<[ProjectOrder: Order]>([:])
    /// Each node's full title, ASCII-folded, for filters: folded on a filter's first page, not
    /// at every build and not again for every page.
    private let searchTitles = Locked<[String]?>(nil)

    /// One order's walk: node positions in that order, and each position's place in it.
    struct Order: Sendable {
        var sequence: [Int]
        var place: [Int]
    }

    /// How a listing's own totals were counted.
    public enum Counting: Sendable {
        /// Kept exact by the store (sodarcache's own stores, a small SODAR table counted now).
        case exact
        /// A background count of a large SODAR table: bytes as counted then, items and latest
        /// updates read fresh for the rows a page shows.
        case background
        /// Not counted yet: the first background count is still running.
        case uncounted
    }

    /// Whether figures are not exact yet: what every store value calls it (`StoreTotals`,
    /// `ProjectSummary`).
    public var estimated: Bool { counting == .uncounted }
    /// The engine's version of the tree it was built from: a listing read again while it is
    /// unchanged may reuse this one's tree.
    public let treeVersion: Int

    /// - Parameter own: each project's own totals by its row id (absent: none).
    public init(
        tree: ProjectTree, own totalsByID: [Int: ProjectTotals], counting: Counting = .exact, treeVersion: Int = 0
    ) {
        self.tree = tree
        self.counting = counting
        self.treeVersion = treeVersion
        let nodes = tree.nodes
        let own = nodes.map { totalsByID[$0.id] ?? .zero }
        var subtree = own
        // Children follow their parent: one backwards pass adds each subtree into its parent.
        for position in nodes.indices.reversed() {
            if let parent = nodes[position].parent { subtree[parent].add(subtree[position]) }
        }
        self.own = own
        self.subtree = subtree
        // Every project's items as the store counts them, in the tree or not (a project row
        // removed under its items, a parent cycle): what the SQLite keyset pages and the
        // PostgreSQL tree pages read in one sum, without walking the tree.
        self.allBytes = totalsByID.values.reduce(0) { $0 + $1.bytes }
    }

    /// The walk for `order`, computed once.
    func walk(_ order: ProjectOrder) -> Order {
        if let cached = orders.withLock({ $0[order] }) { return cached }
        let nodes = tree.nodes
        let computed: Order
        if order == .name {
            computed = Order(sequence: Array(nodes.indices), place: Array(nodes.indices))
        } else {
            // Siblings in name order (tree order), then sorted by the order's key.
            var children: [[Int]] = Array(repeating: [], count: nodes.count)
            var roots: [Int] = []
            for position in nodes.indices {
                if let parent = nodes[position].parent { children[parent].append(position) } else { roots.append(position) }
            }
            let subtree = subtree
            func precedes(_ left: Int, _ right: Int) -> Bool {
                switch order {
                case .name:
                    return left < right
                case .size:
                    if subtree[left].bytes != subtree[right].bytes { return subtree[left].bytes > subtree[right].bytes }
                case .updated:
                    let a = subtree[left].latestUpdate ?? .distantPast, b = subtree[right].latestUpdate ?? .distantPast
                    if a != b { return a > b }
                }
                return left < right
            }
            var sequence: [Int] = []
            sequence.reserveCapacity(nodes.count)
            var stack: [Int] = roots.sorted(by: precedes).reversed()
            while let position = stack.popLast() {
                sequence.append(position)
                stack.append(contentsOf: children[position].sorted(by: precedes).reversed())
            }
            var place = [Int](repeating: 0, count: nodes.count)
            for (index, position) in sequence.enumerated() { place[position] = index }
            computed = Order(sequence: sequence, place: place)
        }
        orders.withLock { $0[order] = computed }
        return computed
    }

    /// Whether the node at `position` matches `filter` (already folded; nil or empty: all do).
    private func matches(_ position: Int, folded filter: String?) -> Bool {
        guard let filter, !filter.isEmpty else { return true }
        let titles = searchTitles.withLock { titles in
            if titles == nil { titles = tree.nodes.map { ProjectTree.foldASCII($0.project.fullTitle) } }
            return titles!
        }
        return titles[position].contains(filter)
    }

    /// The outermost folded ancestor of a node (nil: every ancestor is open).
    private func outermostFoldedAncestor(of position: Int, query: ProjectQuery) -> Int? {
        guard !query.hasFilter else { return nil }
        var found: Int?
        var current = tree.nodes[position].parent
        while let ancestor = current {
            if query.isFolded(tree.nodes[ancestor].project.uuid) { found = ancestor }
            current = tree.nodes[ancestor].parent
        }
        return found
    }

    /// Node positions of the page after `after` (nil: from the start), in the query's order,
    /// skipping what folds hide. A row that is gone continues after the nearest ancestor still
    /// there, or from the start.
    public func positions(after: ProjectSummary?, limit: Int, query: ProjectQuery) -> [Int] {
        let walk = walk(query.order)
        let nodes = tree.nodes
        let filter = query.filter.map(ProjectTree.foldASCII)
        var index = 0
        if let after {
            if var position = tree.position(uuid: after.project.uuid) {
                if let hidden = outermostFoldedAncestor(of: position, query: query) { position = hidden }
                index = walk.place[position] + 1
                if !query.hasFilter && query.isFolded(nodes[position].project.uuid) { index = skip(walk, from: position) }
            } else {
                index = placeOfGone(after, walk: walk, query: query).after
            }
        }
        var page: [Int] = []
        while index < walk.sequence.count && page.count < max(limit, 0) {
            let position = walk.sequence[index]
            if query.hasFilter {
                if matches(position, folded: filter) { page.append(position) }
                index += 1
            } else {
                page.append(position)
                index = query.isFolded(nodes[position].project.uuid) ? skip(walk, from: position) : index + 1
            }
        }
        return page
    }

    /// The `limit` positions just before `before` (nil: the last ones), in the query's order.
    public func positions(before: ProjectSummary?, limit: Int, query: ProjectQuery) -> [Int] {
        let walk = walk(query.order)
        let filter = query.filter.map(ProjectTree.foldASCII)
        var end = walk.sequence.count
        if let before {
            if var position = tree.position(uuid: before.project.uuid) {
                if let hidden = outermostFoldedAncestor(of: position, query: query) { position = hidden }
                end = walk.place[position]
            } else {
                end = placeOfGone(before, walk: walk, query: query).before
            }
        }
        var page: [Int] = []
        var index = end - 1
        while index >= 0 && page.count < max(limit, 0) {
            let position = walk.sequence[index]
            if query.hasFilter {
                if matches(position, folded: filter) { page.append(position) }
                index -= 1
            } else if let hidden = outermostFoldedAncestor(of: position, query: query) {
                page.append(hidden)
                index = walk.place[hidden] - 1
            } else {
                page.append(position)
                index -= 1
            }
        }
        return page.reversed()
    }

    /// Where a row that is gone (deleted or moved since its page was read) stood in the walk:
    /// among its parent's children (or the top level), before the first sibling its own
    /// values put after it in the query's order; past the parent's subtree when none does.
    /// When a fold hides that place, the outermost folded ancestor stands in for the row.
    /// - Returns: where a page after the row starts, and where a page before it ends.
    private func placeOfGone(_ row: ProjectSummary, walk: Order, query: ProjectQuery) -> (after: Int, before: Int) {
        let nodes = tree.nodes
        let parent = row.project.parent.flatMap { tree.position(uuid: $0) }
        if let parent, !query.hasFilter {
            let folded = query.isFolded(nodes[parent].project.uuid) ? parent : nil
            if let hidden = outermostFoldedAncestor(of: parent, query: query) ?? folded {
                return (skip(walk, from: hidden), walk.place[hidden])
            }
        }
        let siblings: [Int]
        if let parent {
            siblings = (parent + 1..<parent + nodes[parent].subtreeSize).filter { nodes[$0].parent == parent }
        } else {
            siblings = nodes.indices.filter { nodes[$0].parent == nil }
        }
        func nameKey(_ project: Project) -> (String, String) {
            (ProjectTree.foldASCII(project.title), project.uuid.uuidString)
        }
        let goneTotals = row.subtree ?? ProjectTotals(items: row.itemCount, bytes: row.bytes, latestUpdate: row.latestUpdate)
        // Whether the gone row comes before the sibling at `position`.
        func comesBefore(_ position: Int) -> Bool {
            let other = subtree[position]
            switch query.order {
            case .name: break
            case .size:
                if goneTotals.bytes != other.bytes { return goneTotals.bytes > other.bytes }
            case .updated:
                let a = goneTotals.latestUpdate ?? .distantPast, b = other.latestUpdate ?? .distantPast
                if a != b { return a > b }
            }
            let a = nameKey(row.project), b = nameKey(nodes[position].project)
            return a.0 != b.0 ? Array(a.0.utf8).lexicographicallyPrecedes(Array(b.0.utf8)) : a.1 < b.1
        }
        let next = siblings.filter(comesBefore).min { walk.place[$0] < walk.place[$1] }
        let place = next.map { walk.place[$0] } ?? parent.map { walk.place[$0] + nodes[$0].subtreeSize } ?? walk.sequence.count
        return (place, place)
    }

    /// Where the walk goes on after a node's whole subtree.
    private func skip(_ walk: Order, from position: Int) -> Int {
        walk.place[position] + tree.nodes[position].subtreeSize
    }

    /// The summary of the node at `position`; `own` replaces the listing's own totals (a
    /// fresher count for the rows of a page).
    public func summary(at position: Int, own fresh: ProjectTotals? = nil) -> ProjectSummary {
        let node = tree.nodes[position]
        let own = fresh ?? own[position]
        var totals: ProjectTotals? = estimated ? nil : subtree[position]
        if totals != nil, fresh != nil {
            // The fresh own totals replace the listed ones in this subtree's sum.
            let listed = self.own[position]
            totals?.add(ProjectTotals(items: own.items - listed.items, bytes: own.bytes - listed.bytes, latestUpdate: own.latestUpdate))
        }
        return ProjectSummary(
            project: node.project, depth: node.depth, own: own, subtree: totals, childCount: node.childCount,
            parentBytes: node.parent.map { subtree[$0].bytes } ?? allBytes, estimated: estimated)
    }

    /// A page of summaries after `after`.
    public func page(after: ProjectSummary?, limit: Int, query: ProjectQuery) -> [ProjectSummary] {
        positions(after: after, limit: limit, query: query).map { summary(at: $0) }
    }

    /// A page of summaries before `before`.
    public func page(before: ProjectSummary?, limit: Int, query: ProjectQuery) -> [ProjectSummary] {
        positions(before: before, limit: limit, query: query).map { summary(at: $0) }
    }
}
