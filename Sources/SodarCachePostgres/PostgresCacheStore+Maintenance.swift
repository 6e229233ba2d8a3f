import Foundation
import PostgresDriver
import SodarCache
import StoreKernel

// MARK: - CacheMaintenance

extension PostgresCacheStore {
    public func items(matching filter: CacheFilter, after: ItemSummary?, limit: Int) throws -> [ItemSummary] {
        let tree = try tree()
        return try withConnection { connection in
            try itemPage(connection, tree: tree, matching: filter, after: after, limit: limit)
        }
    }

    public func forEachItemPage(
        matching filter: CacheFilter, pageSize: Int, _ body: ([ItemSummary]) throws -> Void
    ) throws {
        let limit = max(1, pageSize)
        try snapshotOfItsOwn { connection in
            let tree = ProjectTree(rows: try loadRows(connection))
            // The snapshot holds still: the orphans' groups are found once for every page.
            let groups = try filter.appNotIn.map { try orphanGroups(connection, filter, registered: $0) }
            try Self.walkPages(limit: limit, { after in
                try itemPage(connection, tree: tree, matching: filter, after: after, limit: limit, orphans: groups)
            }, body)
        }
    }

    /// One snapshot (REPEATABLE READ) on a connection of its own: a listing never mixes two
    /// states, and a caller's `body` may use the store meanwhile.
    private func snapshotOfItsOwn(_ body: (PGConnection) throws -> Void) throws {
        try Self.mapped(location.description) {
            let connection = try pool.connect()
            try connection.transaction(.readOnlySnapshot) { try body(connection) }
        }
    }

    public func scanItems(
        scope: CacheFilter.Scope, appName: String?, pageSize: Int, _ body: ([ItemSummary]) throws -> Void
    ) throws {
        let limit = max(1, pageSize)
        // As `forEachItemPage`: one snapshot on a connection of its own; pages by the row id
        // (the primary key), each an index range read with no sort. Project UUIDs come from one
        // read of the project table, not a join per item (the join was three quarters of the
        // server's time at 1M items).
        try snapshotOfItsOwn { connection in
            let projectRows = try connection.query("SELECT id, sodar_uuid FROM \(tables.projects)")
            var projects: [Int: UUID] = [:]
            projects.reserveCapacity(projectRows.rowCount)
            for row in 0..<projectRows.rowCount {
                if let id = projectRows.int(row, 0), let uuid = projectRows.uuid(row, 1) { projects[id] = uuid }
            }
            // The first parameter is the last row id read.
            var parameters = Parameters(.numbered)
            let conditions = ["i.id > \(parameters.bind(PGValue(0)))::bigint"]
                + (try self.conditions(connection, CacheFilter(scope: scope, appName: appName), &parameters))
            let user = layout == .sodar ? "u.username" : "i.user_name"
            let users = layout == .sodar ? "LEFT JOIN \(tables.users!) u ON u.id = i.user_id" : ""
            let sql = """
                SELECT i.sodar_uuid, NULL, i.app_name, i.name, \(user), NULL, extract(epoch from \(ageColumn))::text,
                    \(sizeColumn), \(versionColumn), i.project_id, i.id
                FROM \(tables.items) i \(users)
                WHERE \(conditions.joined(separator: " AND ")) ORDER BY i.id LIMIT \(parameters.bind(PGValue(limit)))::bigint
                """
            while true {
                let result = try connection.query(sql, parameters.values)
                var page: [ItemSummary] = []
                page.reserveCapacity(result.rowCount)
                for row in 0..<result.rowCount {
                    // An item whose project row is gone is left out, as the listings leave it out.
                    var project: UUID?
                    if let id = result.int(row, 9) {
                        guard let known = projects[id] else { continue }
                        project = known
                    }
                    page.append(try result.row(row).itemSummary(project: project, version: true, uuidColumn: "sodar_uuid"))
                }
                if !page.isEmpty { try body(page) }
                guard result.rowCount == limit, let last = result.int(result.rowCount - 1, 10) else { return }
                parameters.values[0] = PGValue(last)
            }
        }
    }

    public func countItems(matching filter: CacheFilter) throws -> [String: Int] {
        try withConnection { connection in
            if let registered = filter.appNotIn { return try countOrphans(connection, filter, registered: registered) }
            var parameters = Parameters(.numbered)
            let conditions = try self.conditions(connection, filter, &parameters)
            let result = try connection.query(
                "SELECT app_name, count(*) FROM \(tables.items) i \(Parameters.whereClause(conditions)) GROUP BY app_name",
                parameters.values)
            var counts: [String: Int] = [:]
            for row in 0..<result.rowCount { counts[result.string(row, 0) ?? ""] = result.int(row, 1) ?? 0 }
            return counts
        }
    }

    public func appTotals() throws -> [AppTotals] {
        try withConnection { connection in
            // sodarcache's schema keeps each item's size; on SODAR's table it would be the text
            // of every payload, which a scrape must not read: nil there.
            let bytes = layout == .sodar ? "NULL::bigint" : "sum(i.size)"
            let result = try connection.query(
                """
                SELECT i.app_name, count(*), \(bytes), extract(epoch from min(\(ageColumn)))::text,
                    extract(epoch from max(\(ageColumn)))::text
                FROM \(tables.items) i GROUP BY i.app_name ORDER BY i.app_name COLLATE "C"
                """)
            return (0..<result.rowCount).map { row in
                AppTotals(
                    appName: result.string(row, 0) ?? "", items: result.int(row, 1) ?? 0, bytes: result.int(row, 2),
                    oldest: result.date(row, 3), newest: result.date(row, 4))
            }
        }
    }

    @discardableResult
    public func deleteItems(matching filter: CacheFilter) throws -> Int {
        try deleteTransaction(audit: { .deleted($0, AuditNote.describe(filter)) }) { connection, change in
            try deleteRows(connection, change, matching: filter)
        }
    }

    @discardableResult
    public func deleteItems(shown: [UUID: ShownItem]) throws -> (deleted: Int, changed: Int) {
        if shown.isEmpty { return (0, 0) }
        let pairs = Array(shown)
        return try deleteTransaction(audit: { .deletedAsShown($0) }) { connection, change in
            var deleted = 0, present = 0
            for start in stride(from: 0, to: pairs.count, by: 1_000) {
                let chunk = pairs[start..<min(start + 1_000, pairs.count)]
                let uuids = PGValue.array(chunk.map(\.key))
                // The time shown was read back as epoch text: within a millisecond is unchanged.
                // The row version shown (xmin): every UPDATE moves it, SODAR's own rewrites of
                // identical data too, which never move date_modified. NULL: compare the time.
                var times = PGArrayLiteral(), versions = PGArrayLiteral()
                for (_, shown) in chunk {
                    times.append(shown.dateModified.timeIntervalSince1970)
                    versions.append(shown.version.map { Int($0) })
                }
                deleted += try deleteItemRows(
                    connection, change, using: "unnest($1::uuid[], $2::float8[], $3::bigint[]) AS s(uuid, stamp, version)",
                    """
                    WHERE i.sodar_uuid = s.uuid AND CASE WHEN s.version IS NULL
                        THEN i.date_modified <= to_timestamp(s.stamp) + interval '1 millisecond'
                        ELSE \(Self.xminColumn) = s.version END
                    """, [uuids, times.value, versions.value], locked: true)
                present += try connection.query(
                    "SELECT count(*) FROM \(tables.items) WHERE sodar_uuid = ANY($1::uuid[])", [uuids]
                ).int(0, 0) ?? 0
            }
            return (deleted, present)
        }
    }

    @discardableResult
    public func deleteItems(uuids: [UUID]) throws -> Int {
        if uuids.isEmpty { return 0 }
        return try deleteTransaction(audit: { .deletedByUUID($0) }) { connection, change in
            var deleted = 0
            // Bounded statements: a 10,000-item delete is a few statements, all in one transaction.
            for start in stride(from: 0, to: uuids.count, by: 1_000) {
                let chunk = uuids[start..<min(start + 1_000, uuids.count)]
                deleted += try deleteItemRows(
                    connection, change, "WHERE sodar_uuid = ANY($1::uuid[])", [.array(chunk)])
            }
            return deleted
        }
    }

    // MARK: - Helpers

    /// A statement's parameters, as PostgreSQL's `$n`.
    typealias Parameters = SQLParameters<PGValue>

    /// SQL conditions on the item table (alias `i`) for `filter`, scope included, but for
    /// `appNotIn`: orphans are found through their groups (`orphanGroups`). Their values are
    /// bound in `parameters`.
    func conditions(_ connection: PGConnection, _ filter: CacheFilter, _ parameters: inout Parameters) throws -> [String] {
        var conditions: [String] = []
        switch filter.scope {
        case .all: break
        case .site: conditions.append("i.project_id IS NULL")
        case .project(let uuid):
            let id = try projectRowID(connection, uuid)
            conditions.append("i.project_id = \(parameters.bind(PGValue(id)))::bigint")
        }
        if let app = filter.appName { conditions.append("i.app_name = \(parameters.bind(.text(app)))") }
        if let olderThan = filter.olderThan {
            conditions.append("\(lastWriteBoundColumn) < to_timestamp(\(parameters.bind(PGValue(olderThan.timeIntervalSince1970)))::float8)")
        }
        return conditions
    }

    /// Deletes every item `filter` matches (orphans found through their groups), in the
    /// caller's transaction.
    func deleteRows(_ connection: PGConnection, _ change: SiteChange?, matching filter: CacheFilter) throws -> Int {
        if let registered = filter.appNotIn { return try deleteOrphans(connection, change, filter, registered: registered) }
        var parameters = Parameters(.numbered)
        let conditions = try self.conditions(connection, filter, &parameters)
        return try deleteItemRows(connection, change, Parameters.whereClause(conditions), parameters.values)
    }

    /// One keyset page of `items(matching:)`: site-wide items first, then each project's in
    /// tree order, by (app, name); orphans by item UUID.
    func itemPage(
        _ connection: PGConnection, tree: ProjectTree, matching filter: CacheFilter, after: ItemSummary?, limit: Int,
        orphans: OrphanGroups? = nil
    ) throws -> [ItemSummary] {
        guard limit > 0 else { return [] }
        if let registered = filter.appNotIn {
            let groups = try orphans ?? orphanGroups(connection, filter, registered: registered)
            return try orphanPage(connection, filter, groups, after: after, limit: limit)
        }
        var baseParameters = Parameters(.numbered)
        let baseConditions = try self.conditions(connection, filter, &baseParameters)
        let select = "SELECT \(itemColumns), \(sizeColumn), \(versionColumn) FROM \(tables.items) i \(itemJoins)"
        // The scopes to walk, in order, starting with the one `after` ended in.
        var page: [ItemSummary] = []
        func scopePage(projectIDs: [Int]?, after: ItemSummary?) throws {
            var conditions = baseConditions
            var parameters = baseParameters
            let unique = namesUnique(siteWide: projectIDs == nil)
            var order = ItemSort.name.orderSQL(sortColumns, byApp: true, namesUnique: unique, backwards: false)
            if let projectIDs {
                let ids = parameters.bind(.array(projectIDs))
                conditions.append("i.project_id = ANY(\(ids)::bigint[])")
                order = "array_position(\(ids)::bigint[], i.project_id), " + order
            } else {
                conditions.append("i.project_id IS NULL")
            }
            if let after {
                conditions.append(
                    ItemSort.name.keysetSQL(sortColumns, byApp: true, namesUnique: unique, backwards: false, after: after) {
                        parameters.bindKey($0)
                    })
            }
            let limitParameter = parameters.bind(PGValue(limit - page.count))
            let result = try connection.query(
                "\(select) \(Parameters.whereClause(conditions)) ORDER BY \(order) LIMIT \(limitParameter)::bigint", parameters.values)
            page += try Self.summaries(result)
        }
        switch filter.scope {
        case .site:
            try scopePage(projectIDs: nil, after: after)
            return page
        case .project(let uuid):
            // The scope condition is already in `conditions`.
            let id = try projectRowID(connection, uuid) ?? 0
            try scopePage(projectIDs: [id], after: after)
            return page
        case .all:
            var position = 0
            if let after, let project = after.project {
                guard let at = tree.position(uuid: project) else { return [] }
                try scopePage(projectIDs: [tree.nodes[at].id], after: after)
                position = at + 1
            } else {
                try scopePage(projectIDs: nil, after: after)
            }
            // The following projects, a batch at a time. Batches start small and grow: each
            // statement reads and sorts every item of its projects, and a page is usually
            // filled by the first few (500 projects of 100 items took 140-270 ms).
            var batchSize = 8
            while page.count < limit && position < tree.nodes.count {
                let batch = tree.nodes[position..<min(position + batchSize, tree.nodes.count)].map(\.id)
                try scopePage(projectIDs: batch, after: nil)
                position += batch.count
                batchSize = min(batchSize * 4, 512)
            }
            return page
        }
    }
    /// The item table's sort columns (`ItemSort`'s keyset); updates by the item's age as
    /// listings show it (the commit time where the server keeps it).
    var sortColumns: ItemSort.Columns {
        ItemSort.Columns(app: "i.app_name", name: "i.name", updated: ageColumn, size: sizeColumn, uuid: "i.sodar_uuid")
    }

    /// Whether an app's names are unique among the rows a page reads: everywhere but on SODAR's
    /// site-wide rows, which its unique constraint (NULL-distinct) does not cover.
    func namesUnique(siteWide: Bool) -> Bool { !siteWide || layout == .sodarcache }

    // MARK: - Orphans

    /// Where a listing's orphans can be: (project row id, app) pairs whose app is not
    /// registered or whose project is gone, and the apps of site-wide orphans.
    struct OrphanGroups {
        var projectIDs: [Int] = []
        var apps: [String] = []
        var siteApps: [String] = []

        var isEmpty: Bool { projectIDs.isEmpty && siteApps.isEmpty }

        init() {}

        /// From rows of (project row id or NULL for site-wide, app).
        init(_ result: PGResult) {
            for row in 0..<result.rowCount {
                let app = result.string(row, 1) ?? ""
                if let id = result.int(row, 0) {
                    projectIDs.append(id)
                    apps.append(app)
                } else {
                    siteApps.append(app)
                }
            }
        }
    }

    /// Finds the orphans' groups by a loose index scan: the (project_id, app_name, name) index
    /// (UNIQUE in both schemas) is descended once per distinct (project, app) pair, a recursive
    /// CTE stepping to the next pair, instead of visiting every item. No index of SODAR's starts
    /// with app_name, so a plain filter on the app had to read every row (3.7-13 s at 1M items).
    func orphanGroups(_ connection: PGConnection, _ filter: CacheFilter, registered configured: Set<String>) throws -> OrphanGroups {
        // On a SODAR site, an app SODAR has installed is never an orphan, whatever the config says.
        let registered = configured.union(try installedApps(connection).keys)
        var parameters = Parameters(.numbered)
        if layout == .sodarcache, case .all = filter.scope { return try keptOrphanGroups(connection, registered: registered) }
        var projectScope = "i.project_id IS NOT NULL"
        var scanProjects = true
        var scanSite = !registered.isEmpty
        switch filter.scope {
        case .all: break
        case .site: scanProjects = false
        case .project(let uuid):
            projectScope = "i.project_id = \(parameters.bind(PGValue(try projectRowID(connection, uuid))))::bigint"
            scanSite = false
        }
        var registeredList: String?
        if !registered.isEmpty {
            registeredList = parameters.bind(.array(registered.sorted())) + "::text[]"
        }
        var parts: [String] = []
        var ctes: [String] = []
        if scanProjects {
            ctes.append("""
                g(project_id, app_name) AS (
                    (SELECT i.project_id, i.app_name FROM \(tables.items) i WHERE \(projectScope)
                     ORDER BY i.project_id, i.app_name LIMIT 1)
                    UNION ALL
                    SELECT n.project_id, n.app_name FROM g CROSS JOIN LATERAL (
                        SELECT i.project_id, i.app_name FROM \(tables.items) i
                        WHERE \(projectScope) AND (i.project_id, i.app_name) > (g.project_id, g.app_name)
                        ORDER BY i.project_id, i.app_name LIMIT 1) n
                )
                """)
            let gone = "NOT EXISTS (SELECT 1 FROM \(tables.projects) o WHERE o.id = g.project_id)"
            let orphan = registeredList.map { "NOT (g.app_name = ANY(\($0))) OR \(gone)" } ?? gone
            parts.append("SELECT g.project_id, g.app_name FROM g WHERE \(orphan)")
        }
        if scanSite, let registeredList {
            ctes.append("""
                s(app_name) AS (
                    (SELECT i.app_name FROM \(tables.items) i WHERE i.project_id IS NULL ORDER BY i.app_name LIMIT 1)
                    UNION ALL
                    SELECT n.app_name FROM s CROSS JOIN LATERAL (
                        SELECT i.app_name FROM \(tables.items) i
                        WHERE i.project_id IS NULL AND i.app_name > s.app_name ORDER BY i.app_name LIMIT 1) n
                )
                """)
            parts.append("SELECT NULL::bigint, s.app_name FROM s WHERE NOT (s.app_name = ANY(\(registeredList)))")
        }
        if parts.isEmpty { return OrphanGroups() }
        return OrphanGroups(
            try connection.query(
                "WITH RECURSIVE " + ctes.joined(separator: ", ") + " " + parts.joined(separator: " UNION ALL "), parameters.values))
    }

    /// The orphans' groups of a whole store in sodarcache's schema, without a step per (project,
    /// app) pair: the apps by the `(app_name, project_id)` index (v4), and each app that is not
    /// registered with its projects; the projects that are gone from `sodarcache_project_totals`
    /// (one row per project with items), with their apps.
    private func keptOrphanGroups(_ connection: PGConnection, registered: Set<String>) throws -> OrphanGroups {
        var parameters: [PGValue] = []
        var ctes = [
            """
            gone(project_id) AS (
                SELECT t.project_id FROM sodarcache_project_totals t
                WHERE t.project_id <> 0 AND t.items > 0
                  AND NOT EXISTS (SELECT 1 FROM sodarcache_project p WHERE p.id = t.project_id)),
            gp(project_id, app_name) AS (
                SELECT gone.project_id, f.app_name FROM gone CROSS JOIN LATERAL (
                    SELECT i.app_name FROM \(tables.items) i WHERE i.project_id = gone.project_id
                    ORDER BY i.app_name LIMIT 1) f
                UNION ALL
                SELECT gp.project_id, n.app_name FROM gp CROSS JOIN LATERAL (
                    SELECT i.app_name FROM \(tables.items) i WHERE i.project_id = gp.project_id AND i.app_name > gp.app_name
                    ORDER BY i.app_name LIMIT 1) n)
            """,
        ]
        var parts = ["SELECT project_id, app_name FROM gp"]
        if !registered.isEmpty {
            parameters.append(.array(registered.sorted()))
            ctes.append(
                """
                a(app_name) AS (
                    (SELECT i.app_name FROM \(tables.items) i ORDER BY i.app_name LIMIT 1)
                    UNION ALL
                    SELECT n.app_name FROM a CROSS JOIN LATERAL (
                        SELECT i.app_name FROM \(tables.items) i WHERE i.app_name > a.app_name ORDER BY i.app_name LIMIT 1) n),
                u(app_name) AS (SELECT app_name FROM a WHERE NOT (app_name = ANY($1::text[]))),
                up(app_name, project_id) AS (
                    SELECT u.app_name, f.project_id FROM u CROSS JOIN LATERAL (
                        SELECT i.project_id FROM \(tables.items) i WHERE i.app_name = u.app_name AND i.project_id IS NOT NULL
                        ORDER BY i.project_id LIMIT 1) f
                    UNION ALL
                    SELECT up.app_name, n.project_id FROM up CROSS JOIN LATERAL (
                        SELECT i.project_id FROM \(tables.items) i WHERE i.app_name = up.app_name AND i.project_id > up.project_id
                        ORDER BY i.project_id LIMIT 1) n)
                """)
            // A pair can be both (an app not registered, of a project gone): UNION keeps it once.
            parts = ["SELECT project_id, app_name FROM gp UNION SELECT project_id, app_name FROM up"]
            parts.append(
                """
                SELECT NULL::bigint, u.app_name FROM u
                WHERE EXISTS (SELECT 1 FROM \(tables.items) i WHERE i.project_id IS NULL AND i.app_name = u.app_name)
                """)
        }
        return OrphanGroups(
            try connection.query(
                "WITH RECURSIVE " + ctes.joined(separator: ", ") + " " + parts.map { "(\($0))" }.joined(separator: " UNION ALL "),
                parameters))
    }

    /// One keyset page of orphans, by item UUID: the items of their groups only, each group
    /// looked up by the (project_id, app_name, name) index.
    func orphanPage(
        _ connection: PGConnection, _ filter: CacheFilter, _ groups: OrphanGroups, after: ItemSummary?, limit: Int
    ) throws -> [ItemSummary] {
        if groups.isEmpty { return [] }
        var parameters = Parameters(.numbered)
        var conditions = try self.conditions(connection, filter, &parameters)
        if let after { conditions.append("i.sodar_uuid > \(parameters.bind(PGValue(after.uuid)))::uuid") }
        let union = orphanRows(columns: "\(itemColumns), \(sizeColumn), \(versionColumn)", joins: itemJoins, conditions, &parameters, groups)
        let limitParameter = parameters.bind(PGValue(limit))
        let result = try connection.query(union + " ORDER BY 1 LIMIT \(limitParameter)::bigint", parameters.values)
        return try Self.summaries(result)
    }

    /// The orphans that match `filter`, by app, counted over their groups only.
    func countOrphans(_ connection: PGConnection, _ filter: CacheFilter, registered: Set<String>) throws -> [String: Int] {
        let groups = try orphanGroups(connection, filter, registered: registered)
        if groups.isEmpty { return [:] }
        var parameters = Parameters(.numbered)
        let conditions = try self.conditions(connection, filter, &parameters)
        let union = orphanRows(columns: "i.app_name", joins: "", conditions, &parameters, groups)
        let result = try connection.query("SELECT app_name, count(*) FROM (\(union)) s GROUP BY app_name", parameters.values)
        var counts: [String: Int] = [:]
        for row in 0..<result.rowCount { counts[result.string(row, 0) ?? ""] = result.int(row, 1) ?? 0 }
        return counts
    }

    /// Deletes the orphans that match `filter`, found over their groups, in the caller's transaction.
    func deleteOrphans(_ connection: PGConnection, _ change: SiteChange?, _ filter: CacheFilter, registered: Set<String>) throws -> Int {
        let groups = try orphanGroups(connection, filter, registered: registered)
        if groups.isEmpty { return 0 }
        var parameters = Parameters(.numbered)
        let conditions = try self.conditions(connection, filter, &parameters)
        let union = orphanRows(columns: "i.id", joins: "", conditions, &parameters, groups)
        return try deleteItemRows(connection, change, "WHERE i.id IN (\(union))", parameters.values)
    }

    /// A UNION ALL of SELECTs of `columns` over the orphans' groups (item alias `i`).
    private func orphanRows(
        columns: String, joins: String, _ conditions: [String], _ parameters: inout Parameters, _ groups: OrphanGroups
    ) -> String {
        var parts: [String] = []
        if !groups.projectIDs.isEmpty {
            let ids = parameters.bind(.array(groups.projectIDs))
            var apps = PGArrayLiteral()
            for app in groups.apps { apps.append(app) }
            let appList = parameters.bind(apps.value)
            parts.append("""
                SELECT \(columns) FROM unnest(\(ids)::bigint[], \(appList)::text[]) AS o(project_id, app_name)
                JOIN \(tables.items) i ON i.project_id = o.project_id AND i.app_name = o.app_name \(joins)
                \(Parameters.whereClause(conditions))
                """)
        }
        if !groups.siteApps.isEmpty {
            var apps = PGArrayLiteral()
            for app in groups.siteApps { apps.append(app) }
            let siteConditions = conditions + ["i.project_id IS NULL", "i.app_name = ANY(\(parameters.bind(apps.value))::text[])"]
            parts.append("SELECT \(columns) FROM \(tables.items) i \(joins) \(Parameters.whereClause(siteConditions))")
        }
        return parts.map { "(\($0))" }.joined(separator: " UNION ALL ")
    }
}
