import Foundation
import PostgresDriver
import SodarCache
import StoreKernel

// MARK: - Project pages in tree order, one branch at a time

extension PostgresCacheStore {
    /// A page in name order with no filter and nothing folded (the browser's launch, and
    /// scrolling on from it), read without the listing: reading the whole tree and every
    /// project's totals costs 30-70 ms at 10,000 projects; such a page needs only the branches
    /// it shows. Folds come later, from a key, when the listing is read: with every category
    /// folded, a tree page would sum every subtree (15-50 ms) where the listing answers from
    /// memory. Forwards only: `G` reads the listing.
    public func keysetProjectRows(
        from: ProjectSummary?, backwards: Bool, limit: Int, query: ProjectQuery
    ) throws -> [ProjectSummary]? {
        guard !backwards, query.order == .name, !query.hasFilter, !query.hasFolds else { return nil }
        return try treePage(after: from, limit: limit, query: query)
    }

    /// How a tree page counts each project's own items.
    enum TreePageCounts {
        /// sodarcache's `sodarcache_project_totals`.
        case kept
        /// A large SODAR table before its background count is in: items and latest update
        /// fresh, bytes and the categories' totals unknown (as the listing shows them).
        case fresh
    }

    /// A page in tree order without the listing: the top level, sorted as `ProjectTree` sorts
    /// siblings, and depth first into each open category's children (the `parent_id` index),
    /// until `limit` rows; after a row, from that row's ancestors' sibling lists on. Then the
    /// rows' own totals, their categories' subtree totals and, for the shares, all projects'
    /// bytes. One snapshot. The same rows and figures as the listing's page; nil when the
    /// listing should answer: the row is gone, or SODAR's table is small (the listing counts
    /// it whole, and so would the shares here) or its per-project count is in.
    ///
    /// Both schemas' foreign keys keep every `parent_id` pointing at a row, so the top level is
    /// `parent_id IS NULL` here as in `ProjectTree`; a parent cycle (which neither sodarcache
    /// nor SODAR writes) is left out of the rows as there.
    func treePage(after: ProjectSummary?, limit: Int, query: ProjectQuery) throws -> [ProjectSummary]? {
        guard limit > 0 else { return [] }
        let page = try snapshotRead { connection -> [ProjectSummary]? in
            let counts: TreePageCounts
            switch layout {
            case .sodarcache:
                counts = .kept
            case .sodar:
                guard (try sodarPlannerRows(connection) ?? 0) > exactCountLimit.withLock({ $0 }),
                      sodarProjectTotals.withLock({ $0 == nil })
                else { return nil }
                counts = .fresh
            }
            guard let entries = try descend(connection, after: after?.project.uuid, limit: limit, query: query) else { return nil }
            // Row ids never change: the apps and items of a project shown need not look theirs up.
            projectIDs.remember(Dictionary(entries.map { ($0.row.uuid, Int64($0.row.id)) }) { first, _ in first })
            return try summaries(connection, entries, counts: counts)
        }
        return page
    }

    /// One row of a tree page before its totals.
    struct TreePageEntry {
        var row: ProjectTree.Row
        var childCount: Int
        var depth: Int
        var fullTitle: String
        /// The parent's index in the page.
        var parent: Int?
        /// False for the ancestors of the row a page starts after: read, not shown.
        var shown = true
        /// Whether its totals are its subtree's (a category, or a project with children).
        var isCategoryLike: Bool { ProjectSummary.showsSubtree(type: row.type, childCount: childCount) }
    }

    /// The page's rows in tree order, reading each open category's children once; after a row,
    /// preceded by that row and its ancestors (not shown). Nil when that row is gone.
    private func descend(_ connection: PGConnection, after: UUID?, limit: Int, query: ProjectQuery) throws -> [TreePageEntry]? {
        struct Frame {
            var siblings: [(row: ProjectTree.Row, children: Int)]
            var next = 0
            var parent: Int?
        }
        var entries: [TreePageEntry] = []
        var seen = Set<UUID>()
        var stack: [Frame] = []
        func enter(_ row: ProjectTree.Row, children: Int, parent: Int?, shown: Bool) {
            let parentEntry = parent.map { entries[$0] }
            entries.append(
                TreePageEntry(
                    row: row, childCount: children, depth: parentEntry.map { $0.depth + 1 } ?? 0,
                    fullTitle: parentEntry.map { $0.fullTitle + " / " + row.title } ?? row.title, parent: parent, shown: shown))
        }
        if let after {
            // The row and its ancestors, top first; each level's siblings continue after them.
            guard let chain = try ancestry(connection, of: after) else { return nil }
            for (level, link) in chain.enumerated() {
                var frame = Frame(siblings: try children(connection, of: link.row.parentID), parent: level == 0 ? nil : level - 1)
                guard let index = frame.siblings.firstIndex(where: { $0.row.uuid == link.row.uuid }) else { return nil }
                frame.next = index + 1
                stack.append(frame)
                seen.insert(link.row.uuid)
                enter(link.row, children: link.children, parent: frame.parent, shown: false)
            }
            if let last = chain.last, last.children > 0, !query.isFolded(last.row.uuid) {
                stack.append(Frame(siblings: try children(connection, of: last.row.id), parent: entries.count - 1))
            }
        } else {
            stack.append(Frame(siblings: try children(connection, of: nil), parent: nil))
        }
        var shown = 0
        while shown < limit, let frame = stack.last {
            guard frame.next < frame.siblings.count else {
                stack.removeLast()
                continue
            }
            stack[stack.count - 1].next += 1
            let (row, children) = frame.siblings[frame.next]
            // A cycle written meanwhile (the tree is read once per branch) must not loop.
            guard seen.insert(row.uuid).inserted else { continue }
            enter(row, children: children, parent: frame.parent, shown: true)
            shown += 1
            if children > 0, !query.isFolded(row.uuid), shown < limit {
                stack.append(Frame(siblings: try self.children(connection, of: row.id), parent: entries.count - 1))
            }
        }
        return entries
    }

    /// A project and its ancestors, top first, each with its child count; nil when it is gone
    /// or its chain does not reach the top level (a cycle, or a parent gone meanwhile).
    private func ancestry(_ connection: PGConnection, of uuid: UUID) throws -> [(row: ProjectTree.Row, children: Int)]? {
        let path = layout == .sodarcache ? "p.path" : "NULL::text"
        let result = try connection.query(
            """
            WITH RECURSIVE up(id, parent_id, level) AS (
                SELECT id, parent_id, 0 FROM \(tables.projects) WHERE sodar_uuid = $1::uuid
                UNION ALL SELECT p.id, p.parent_id, up.level + 1 FROM up JOIN \(tables.projects) p ON p.id = up.parent_id
                WHERE up.level < 1000)
            SELECT p.id, p.sodar_uuid, p.title, p.type, p.parent_id, coalesce(p.description, ''), \(path),
                (SELECT count(*) FROM \(tables.projects) c WHERE c.parent_id = p.id)
            FROM up JOIN \(tables.projects) p ON p.id = up.id ORDER BY up.level DESC
            """, [PGValue(uuid)])
        let chain = try Self.rowsWithChildren(result)
        guard let top = chain.first, top.row.parentID == nil, chain.count < 1000 else { return nil }
        return chain
    }

    /// A parent's children (nil: the top level) in sibling order, each with its child count.
    private func children(_ connection: PGConnection, of parent: Int?) throws -> [(row: ProjectTree.Row, children: Int)] {
        let path = layout == .sodarcache ? "p.path" : "NULL::text"
        let result = try connection.query(
            """
            SELECT p.id, p.sodar_uuid, p.title, p.type, p.parent_id, coalesce(p.description, ''), \(path),
                (SELECT count(*) FROM \(tables.projects) c WHERE c.parent_id = p.id)
            FROM \(tables.projects) p WHERE \(parent == nil ? "p.parent_id IS NULL" : "p.parent_id = $1::bigint")
            """, parent.map { [PGValue($0)] } ?? [])
        let rows = try Self.rowsWithChildren(result)
        let childCounts = Dictionary(rows.map { ($0.row.uuid, $0.children) }, uniquingKeysWith: { first, _ in first })
        return ProjectTree.inSiblingOrder(rows.map(\.row)).map { ($0, childCounts[$0.uuid] ?? 0) }
    }

    /// Project rows (the tree's columns, then a child count) as read.
    private static func rowsWithChildren(_ result: PGResult) throws -> [(row: ProjectTree.Row, children: Int)] {
        try (0..<result.rowCount).map { (try projectRow(result, $0), result.int($0, 7) ?? 0) }
    }

    /// The entries as summaries, with the figures `ProjectListing.summary` gives them.
    private func summaries(_ connection: PGConnection, _ entries: [TreePageEntry], counts: TreePageCounts) throws -> [ProjectSummary] {
        let ids = entries.filter(\.shown).map(\.row.id)
        let categories = entries.filter(\.isCategoryLike).map(\.row.id)
        let own: [Int: ProjectTotals]
        var subtrees: [Int: ProjectTotals] = [:]
        var allBytes = 0
        switch counts {
        case .kept:
            own = try Self.keptOwnTotals(connection, ids: ids)
            if !categories.isEmpty { subtrees = try keptSubtrees(connection, categories) }
            allBytes = try connection.query(
                "SELECT coalesce(sum(bytes), 0) FROM sodarcache_project_totals WHERE project_id <> 0"
            ).int(0, 0) ?? 0
        case .fresh:
            // As the listing's fresh page counts: no payload read, bytes unknown (0).
            own = try freshOwnTotals(connection, ids: ids)
        }
        return entries.filter(\.shown).map { entry in
            // The share of the parent's bytes (top level: of all projects' bytes); a parent's
            // subtree bytes are unknown, and 0, before a large SODAR table is counted.
            let parentBytes = entry.parent.map { subtrees[entries[$0].row.id]?.bytes ?? 0 } ?? allBytes
            return ProjectSummary(
                project: Project(
                    uuid: entry.row.uuid, title: entry.row.title, type: entry.row.type,
                    parent: entry.parent.map { entries[$0].row.uuid }, description: entry.row.description,
                    path: entry.row.path, fullTitle: entry.fullTitle),
                depth: entry.depth, own: own[entry.row.id] ?? .zero,
                subtree: counts == .fresh ? nil : subtrees[entry.row.id] ?? .zero, childCount: entry.childCount,
                parentBytes: parentBytes, estimated: counts == .fresh)
        }
    }

    /// The subtree totals of categories (row ids) on sodarcache's schema. A small subtree is
    /// walked through the `parent_id` index row by row and its totals read by key (1 ms for a
    /// category of 100); a walk that passes `walkLimit` rows (500) (a category holding most of the
    /// site, or many categories folded) stops there, and one statement that joins the whole
    /// project table at each level sums them instead (15-20 ms at 10,000 projects, whatever
    /// their shape, where the walk took 80 ms).
    private func keptSubtrees(_ connection: PGConnection, _ categories: [Int]) throws -> [Int: ProjectTotals] {
        let walkLimit = self.walkLimit.withLock { $0 }
        let walk = try connection.query(
            """
            WITH RECURSIVE d(root, id) AS (
                SELECT id, id FROM sodarcache_project WHERE id = ANY($1::bigint[])
                UNION SELECT d.root, unnest(ARRAY(SELECT c.id FROM sodarcache_project c WHERE c.parent_id = d.id)) FROM d)
            SELECT root, id FROM d LIMIT $2::bigint
            """, [.array(categories), PGValue(walkLimit + 1)])
        guard walk.rowCount <= walkLimit else {
            return Self.projectTotals(
                try connection.query(
                    """
                    WITH RECURSIVE d(root, id) AS (
                        SELECT id, id FROM sodarcache_project WHERE id = ANY($1::bigint[])
                        UNION SELECT d.root, c.id FROM d JOIN sodarcache_project c ON c.parent_id = d.id)
                    SELECT d.root, coalesce(sum(t.items), 0), coalesce(sum(t.bytes), 0), extract(epoch from max(t.latest))::text
                    FROM d LEFT JOIN sodarcache_project_totals t ON t.project_id = d.id GROUP BY d.root
                    """, [.array(categories)]))
        }
        var members: [(root: Int, id: Int)] = []
        for row in 0..<walk.rowCount {
            if let root = walk.int(row, 0), let id = walk.int(row, 1) { members.append((root, id)) }
        }
        let own = try Self.keptOwnTotals(connection, ids: Array(Set(members.map(\.id))))
        var subtrees: [Int: ProjectTotals] = [:]
        for member in members {
            subtrees[member.root, default: .zero].add(own[member.id] ?? .zero)
        }
        return subtrees
    }
}
