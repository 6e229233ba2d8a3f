import Foundation
import SodarCache

// MARK: - The first project page, one branch at a time

extension PostgresCacheStore {
    /// Whether `projectPage` can skip the listing: the first page in name order with no filter
    /// (the browser's launch), while no listing is current. Reading the whole tree and every
    /// project's totals costs 30-70 ms at 10,000 projects; the first page needs only the
    /// branches it shows.
    func firstPageApplies(after: ProjectSummary?, query: ProjectQuery) -> Bool {
        guard after == nil, query.order == .name, (query.filter ?? "").isEmpty else { return false }
        guard let token = try? changeToken() else { return false }
        return listingCache.withLock { $0?.token != token }
    }

    /// How a first page counts each project's own items.
    enum FirstPageCounts {
        /// sodarcache's `sodarcache_project_totals`.
        case kept
        /// A small SODAR table, counted exactly for the rows shown (as the listing counts it).
        case exact
        /// A large SODAR table before its background count is in: items and latest update
        /// fresh, bytes and the categories' totals unknown (as the listing shows them).
        case fresh
    }

    /// The first page in tree order: the top level, sorted as `ProjectTree` sorts siblings, and
    /// depth first into each open category's children (the `parent_id` index), until `limit`
    /// rows; then the rows' own totals, their categories' subtree totals (one recursive
    /// statement) and, for the shares, all projects' bytes. One snapshot. The same rows and
    /// figures as the listing's first page; nil when the listing should answer (a large SODAR
    /// table whose per-project count is in).
    func firstPage(limit: Int, query: ProjectQuery) throws -> [ProjectSummary]? {
        guard limit > 0 else { return [] }
        let page = try snapshotRead { connection -> [ProjectSummary]? in
            let counts: FirstPageCounts
            switch layout {
            case .sodarcache:
                counts = .kept
            case .sodar:
                if (try sodarPlannerRows(connection) ?? 0) > exactCountLimit.withLock({ $0 }) {
                    guard sodarProjectTotals.withLock({ $0 == nil }) else { return nil }
                    counts = .fresh
                } else {
                    counts = .exact
                }
            }
            let entries = try descend(connection, limit: limit, query: query)
            return try summaries(connection, entries, counts: counts)
        }
        // The pages after this one come from the listing: read it off the caller's thread.
        prepareListing()
        return page
    }

    /// One row of a first page before its totals.
    struct FirstPageEntry {
        var row: ProjectTree.Row
        var childCount: Int
        var depth: Int
        var fullTitle: String
        /// The parent's index in the page.
        var parent: Int?
        /// Whether its totals are its subtree's (a category, or a project with children).
        var isCategoryLike: Bool { row.type == .category || childCount > 0 }
    }

    /// The page's rows in tree order, reading each open category's children once.
    private func descend(_ connection: PGConnection, limit: Int, query: ProjectQuery) throws -> [FirstPageEntry] {
        struct Frame {
            var siblings: [(row: ProjectTree.Row, children: Int)]
            var next = 0
            var parent: Int?
        }
        var entries: [FirstPageEntry] = []
        var seen = Set<UUID>()
        var stack = [Frame(siblings: try children(connection, of: nil), parent: nil)]
        while entries.count < limit, let frame = stack.last {
            guard frame.next < frame.siblings.count else {
                stack.removeLast()
                continue
            }
            stack[stack.count - 1].next += 1
            let (row, children) = frame.siblings[frame.next]
            // A cycle written meanwhile (the tree is read once per branch) must not loop.
            guard seen.insert(row.uuid).inserted else { continue }
            let parent = frame.parent.map { entries[$0] }
            entries.append(
                FirstPageEntry(
                    row: row, childCount: children, depth: parent.map { $0.depth + 1 } ?? 0,
                    fullTitle: parent.map { $0.fullTitle + " / " + row.title } ?? row.title, parent: frame.parent))
            if children > 0, !query.isFolded(row.uuid), entries.count < limit {
                stack.append(Frame(siblings: try self.children(connection, of: row.id), parent: entries.count - 1))
            }
        }
        return entries
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
        var rows: [ProjectTree.Row] = []
        var childCounts: [UUID: Int] = [:]
        for row in 0..<result.rowCount {
            guard let id = result.int(row, 0), let uuid = result.uuid(row, 1) else { continue }
            rows.append(
                ProjectTree.Row(
                    id: id, uuid: uuid, title: result.string(row, 2) ?? "",
                    type: Project.Kind(rawValue: result.string(row, 3) ?? "") ?? .project, parentID: result.int(row, 4),
                    description: result.string(row, 5) ?? "", path: result.string(row, 6)))
            childCounts[uuid] = result.int(row, 7) ?? 0
        }
        return ProjectTree.inSiblingOrder(rows).map { ($0, childCounts[$0.uuid] ?? 0) }
    }

    /// The entries as summaries, with the figures `ProjectListing.summary` gives them.
    private func summaries(_ connection: PGConnection, _ entries: [FirstPageEntry], counts: FirstPageCounts) throws -> [ProjectSummary] {
        let ids = entries.map(\.row.id)
        let categories = entries.filter(\.isCategoryLike).map(\.row.id)
        let own: [Int: ProjectTotals]
        var subtrees: [Int: ProjectTotals] = [:]
        var allBytes = 0
        switch counts {
        case .kept:
            own = Self.projectTotals(
                try connection.query(
                    """
                    SELECT project_id, items, bytes, extract(epoch from latest)::text
                    FROM sodarcache_project_totals WHERE project_id = ANY($1::bigint[])
                    """, [Self.array(ids)]))
            if !categories.isEmpty {
                subtrees = Self.projectTotals(
                    try connection.query(
                        """
                        WITH RECURSIVE d(root, id) AS (
                            SELECT id, id FROM sodarcache_project WHERE id = ANY($1::bigint[])
                            UNION SELECT d.root, c.id FROM d JOIN sodarcache_project c ON c.parent_id = d.id)
                        SELECT d.root, coalesce(sum(t.items), 0), coalesce(sum(t.bytes), 0), extract(epoch from max(t.latest))::text
                        FROM d LEFT JOIN sodarcache_project_totals t ON t.project_id = d.id GROUP BY d.root
                        """, [Self.array(categories)]))
            }
            allBytes = try connection.query(
                """
                SELECT coalesce(sum(t.bytes), 0) FROM sodarcache_project_totals t
                JOIN sodarcache_project p ON p.id = t.project_id
                """
            ).int(0, 0) ?? 0
        case .exact:
            own = Self.projectTotals(
                try connection.query(
                    """
                    SELECT project_id, count(*), coalesce(sum(octet_length(data::text)), 0), extract(epoch from max(date_modified))::text
                    FROM sodarcache_jsoncacheitem WHERE project_id = ANY($1::bigint[]) GROUP BY project_id
                    """, [Self.array(ids)]))
            if !categories.isEmpty {
                subtrees = Self.projectTotals(
                    try connection.query(
                        """
                        WITH RECURSIVE d(root, id) AS (
                            SELECT id, id FROM \(tables.projects) WHERE id = ANY($1::bigint[])
                            UNION SELECT d.root, c.id FROM d JOIN \(tables.projects) c ON c.parent_id = d.id)
                        SELECT d.root, count(i.id), coalesce(sum(octet_length(i.data::text)), 0),
                            extract(epoch from max(i.date_modified))::text
                        FROM d LEFT JOIN sodarcache_jsoncacheitem i ON i.project_id = d.id GROUP BY d.root
                        """, [Self.array(categories)]))
            }
            allBytes = try connection.query(
                """
                SELECT coalesce(sum(octet_length(i.data::text)), 0) FROM sodarcache_jsoncacheitem i
                JOIN \(tables.projects) p ON p.id = i.project_id
                """
            ).int(0, 0) ?? 0
        case .fresh:
            // As the listing's fresh page counts: no payload read, bytes unknown (0).
            var fresh: [Int: ProjectTotals] = [:]
            let result = try connection.query(
                """
                SELECT project_id, count(*), extract(epoch from max(date_modified))::text
                FROM sodarcache_jsoncacheitem WHERE project_id = ANY($1::bigint[]) GROUP BY project_id
                """, [Self.array(ids)])
            for row in 0..<result.rowCount {
                if let id = result.int(row, 0) {
                    fresh[id] = ProjectTotals(items: result.int(row, 1) ?? 0, bytes: 0, latestUpdate: result.date(row, 2))
                }
            }
            own = fresh
        }
        return entries.map { entry in
            let mine = own[entry.row.id] ?? .zero
            let totals: ProjectTotals? =
                !entry.isCategoryLike ? mine : (counts == .fresh ? nil : subtrees[entry.row.id] ?? .zero)
            // The share of the parent's bytes (top level: of all projects' bytes); a parent's
            // subtree bytes are unknown, and 0, before a large SODAR table is counted.
            let parentBytes = entry.parent.map { subtrees[entries[$0].row.id]?.bytes ?? 0 } ?? allBytes
            return ProjectSummary(
                project: Project(
                    uuid: entry.row.uuid, title: entry.row.title, type: entry.row.type,
                    parent: entry.parent.map { entries[$0].row.uuid }, description: entry.row.description,
                    path: entry.row.path, fullTitle: entry.fullTitle),
                depth: entry.depth, itemCount: mine.items, latestUpdate: mine.latestUpdate, bytes: mine.bytes,
                subtree: totals, childCount: entry.childCount,
                share: totals.map { parentBytes > 0 ? min(1, Double($0.bytes) / Double(parentBytes)) : 0 })
        }
    }

    /// Reads the listing off the caller's thread, once at a time, a moment later (started at
    /// once it would take a core from the browser's first frame).
    func prepareListing() {
        guard listingBuilding.withLock({ building in
            defer { building = true }
            return !building
        }) else { return }
        DispatchQueue.global(qos: .utility).asyncAfter(deadline: .now() + 0.15) { [self] in
            defer { listingBuilding.withLock { $0 = false } }
            _ = try? listingAndCount()
        }
    }
}
