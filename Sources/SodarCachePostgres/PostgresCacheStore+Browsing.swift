import Foundation
import PostgresDriver
import SodarCache
import StoreKernel

// MARK: - CacheBrowsing

extension PostgresCacheStore {
    /// Page rows as summaries. A large SODAR table is counted in the background, so its own
    /// totals may be seconds old: the rows' item counts and latest updates are read fresh (one
    /// query over the `project_id` index, no payload read); their bytes stay the count's.
    /// sodarcache's `sodarcache_project_totals`, and a small SODAR table counted at each
    /// change, are current.
    public func listedProjects(_ listing: ProjectListing, positions: [Int]) throws -> [ProjectSummary] {
        if positions.isEmpty { return [] }
        guard listing.counting != .exact else { return positions.map { listing.summary(at: $0) } }
        let nodes = listing.tree.nodes
        let fresh = try withConnection { connection in try freshOwnTotals(connection, ids: positions.map { nodes[$0].id }) }
        return positions.map { position in
            let found = fresh[nodes[position].id]
            let own = ProjectTotals(
                items: found?.items ?? 0, bytes: found == nil ? 0 : listing.own[position].bytes, latestUpdate: found?.latestUpdate)
            return listing.summary(at: position, own: own)
        }
    }

    /// SODAR's items per project of `ids`, with the latest update, read over the `project_id`
    /// index without reading a payload: bytes are 0 (not counted).
    func freshOwnTotals(_ connection: PGConnection, ids: [Int]) throws -> [Int: ProjectTotals] {
        let result = try connection.query(
            """
            SELECT project_id, count(*), extract(epoch from max(date_modified))::text
            FROM \(tables.items) WHERE project_id = ANY($1::bigint[]) GROUP BY project_id
            """, [.array(ids)])
        var totals: [Int: ProjectTotals] = [:]
        for row in 0..<result.rowCount {
            if let id = result.int(row, 0) {
                totals[id] = ProjectTotals(items: result.int(row, 1) ?? 0, bytes: 0, latestUpdate: result.date(row, 2))
            }
        }
        return totals
    }

    /// sodarcache's kept own totals of the projects `ids` (nil: of every project).
    static func keptOwnTotals(_ connection: PGConnection, ids: [Int]?) throws -> [Int: ProjectTotals] {
        projectTotals(
            try connection.query(
                """
                SELECT project_id, items, bytes, extract(epoch from latest)::text
                FROM sodarcache_project_totals WHERE \(ids == nil ? "project_id <> 0" : "project_id = ANY($1::bigint[])")
                """, ids.map { [PGValue.array($0)] } ?? []))
    }

    /// The project tree with each project's own totals. sodarcache's schema keeps them per
    /// project; SODAR's table is counted (a large one in the background, at most every 10 s,
    /// with categories' totals unknown until the first count is in, and the own totals not
    /// current meanwhile: `listedProjects` reads the shown rows' fresh).
    public func readListing(previous: ProjectListing?) throws -> ProjectListing {
        let token = try changeToken()
        let tree = try tree()
        let own: [Int: ProjectTotals]
        var known = true
        var counted = true
        switch layout {
        case .sodarcache:
            own = try withConnection { connection in try Self.keptOwnTotals(connection, ids: nil) }
        case .sodar:
            let large = try withConnection { connection in (try sodarPlannerRows(connection) ?? 0) > exactCountLimit.withLock({ $0 }) }
            if large {
                let background = sodarProjectTotals.withLock { $0 }
                own = background?.totals ?? [:]
                known = background != nil
                counted = false
                if background == nil || (background!.token != token && Date().timeIntervalSince(background!.at) >= 10) {
                    countSODARProjectsInBackground(token: token)
                }
            } else {
                own = try withConnection { connection in Self.projectTotals(try connection.query(sodarProjectCountSQL)) }
            }
        }
        return ProjectListing(tree: tree, own: own, counting: counted ? .exact : (known ? .background : .uncounted))
    }

    /// Each project's own totals on SODAR's table: a scan that turns every payload into text.
    var sodarProjectCountSQL: String {
        """
        SELECT project_id, count(*), coalesce(sum(octet_length(data::text)), 0), extract(epoch from max(date_modified))::text
        FROM \(tables.items) WHERE project_id IS NOT NULL GROUP BY project_id
        """
    }

    /// Rows of (project id, items, bytes, latest epoch) by project id.
    static func projectTotals(_ result: PGResult) -> [Int: ProjectTotals] {
        var totals: [Int: ProjectTotals] = [:]
        totals.reserveCapacity(result.rowCount)
        for row in 0..<result.rowCount {
            if let id = result.int(row, 0) {
                totals[id] = ProjectTotals(
                    items: result.int(row, 1) ?? 0, bytes: result.int(row, 2) ?? 0, latestUpdate: result.date(row, 3))
            }
        }
        return totals
    }

    /// Counts SODAR's items per project on a connection of its own, later and on one server
    /// core (as the header's exact count); the next listing uses the result.
    private func countSODARProjectsInBackground(token: Int) {
        let delay: Double = sodarProjectTotals.withLock { $0 == nil } ? 1 : 0
        sodarProjectCount.schedule(after: delay) { [weak self] in
            guard let self, let result = backgroundScan(sodarProjectCountSQL) else { return }
            let totals = Self.projectTotals(result)
            sodarProjectTotals.withLock { $0 = (token, Date(), totals) }
            caches.forgetListing()
            // The change token moves, so that an open browser reads the counts (on an idle site
            // nothing else would make it ask again).
            countsDone.withLock { $0 += 1 }
        }
    }

    /// A whole-table count for the background, on a connection of its own and one server core
    /// (parallel workers on a 2-core server held a browser's first frame up); nil once the store
    /// is closed, or on any failure (the next listing or `totals()` asks again).
    private func backgroundScan(_ sql: String) -> PGResult? {
        guard !closed.withLock({ $0 }), let connection = try? pool.connect(),
              (try? connection.apply("max_parallel_workers_per_gather", "0")) != nil
        else { return nil }
        return try? connection.query(sql)
    }

    /// Apps after `from` (or before it, last first, when `backwards`).
    public func appRows(project: UUID?, from: AppSummary?, backwards: Bool, limit: Int, filter: String?) throws -> [AppSummary] {
        try withConnection { connection in
            let projectID = try projectRowID(connection, project)
            var parameters = Parameters(.numbered)
            var conditions = [projectID.map { "i.project_id = \(parameters.bind(PGValue($0)))" } ?? "i.project_id IS NULL"]
            if let from { conditions.append("i.app_name \(backwards ? "<" : ">") \(parameters.bind(.text(from.appName)))") }
            if let filter, !filter.isEmpty {
                conditions.append("strpos(\(Self.foldedASCII("i.app_name")), \(parameters.bind(.text(ProjectTree.foldASCII(filter))))) > 0")
            }
            let limitParameter = parameters.bind(PGValue(max(limit, 0)))
            let result = try connection.query(
                """
                SELECT i.app_name, count(*), extract(epoch from max(\(ageColumn)))::text, coalesce(sum(\(sizeColumn)), 0)
                FROM \(tables.items) i WHERE \(conditions.joined(separator: " AND "))
                GROUP BY i.app_name ORDER BY i.app_name \(backwards ? "DESC" : "") LIMIT \(limitParameter)::bigint
                """, parameters.values)
            return (0..<result.rowCount).map { row in
                AppSummary(
                    appName: result.string(row, 0) ?? "", itemCount: result.int(row, 1) ?? 0,
                    latestUpdate: result.date(row, 2), totalSize: result.int(row, 3) ?? 0)
            }
        }
    }

    /// Items after `from` in the sort's order (or before it, last first, when `backwards`).
    public func itemRows(
        project: UUID?, app: String?, sort: ItemSort, from after: ItemSummary?, backwards: Bool, limit: Int,
        filter: String?
    ) throws -> [ItemSummary] {
        try withConnection { connection in
            let projectID = try projectRowID(connection, project)
            var parameters = Parameters(.numbered)
            var conditions = [projectID.map { "i.project_id = \(parameters.bind(PGValue($0)))::bigint" } ?? "i.project_id IS NULL"]
            if let app { conditions.append("i.app_name = \(parameters.bind(.text(app)))") }
            if let filter, !filter.isEmpty {
                conditions.append("strpos(\(Self.foldedASCII("i.name")), \(parameters.bind(.text(ProjectTree.foldASCII(filter))))) > 0")
            }
            let columns = sortColumns
            let unique = namesUnique(siteWide: projectID == nil)
            if let after {
                conditions.append(
                    sort.keysetSQL(columns, byApp: app == nil, namesUnique: unique, backwards: backwards, after: after) {
                        parameters.bindKey($0)
                    })
            }
            let limitParameter = parameters.bind(PGValue(max(limit, 0)))
            let result = try connection.query(
                """
                SELECT \(itemColumns), \(sizeColumn), \(versionColumn) FROM \(tables.items) i \(itemJoins)
                WHERE \(conditions.joined(separator: " AND "))
                ORDER BY \(sort.orderSQL(columns, byApp: app == nil, namesUnique: unique, backwards: backwards))
                LIMIT \(limitParameter)::bigint
                """, parameters.values)
            return try Self.summaries(result)
        }
    }

    public func item(uuid: UUID) throws -> CacheItem? {
        try withConnection { connection in
            let result = try connection.query(
                "SELECT \(itemColumns), \(dataColumn) FROM \(tables.items) i \(itemJoins) WHERE i.sodar_uuid = $1::uuid",
                [PGValue(uuid)])
            return result.rowCount == 1 ? try result.row(0).cacheItem() : nil
        }
    }

    /// SODAR's table keeps no totals: counting is a scan. A small one is counted again after
    /// every change (milliseconds); a large one at most every 10 s (an estimate, then an exact
    /// count in the background).
    public func readTotals() throws -> (totals: StoreTotals, reuseFor: TimeInterval) {
        var estimated = false
        let totals = try withConnection { connection -> StoreTotals in
            let kinds = try connection.query(
                "SELECT count(*) FILTER (WHERE type = 'PROJECT'), count(*) FILTER (WHERE type = 'CATEGORY') FROM \(tables.projects)")
            let result: PGResult
            switch layout {
            case .sodarcache:
                result = try connection.query("SELECT items, bytes, site_items FROM sodarcache_totals WHERE id = 1")
            case .sodar:
                if let estimate = try sodarEstimate(connection) {
                    estimated = true
                    return StoreTotals(
                        projects: kinds.int(0, 0) ?? 0, categories: kinds.int(0, 1) ?? 0, items: estimate.items,
                        bytes: estimate.bytes, siteItems: estimate.siteItems, estimated: true)
                }
                result = try connection.query(sodarCountSQL)
            }
            return StoreTotals(
                projects: kinds.int(0, 0) ?? 0, categories: kinds.int(0, 1) ?? 0, items: result.int(0, 0) ?? 0, bytes: result.int(0, 1) ?? 0,
                siteItems: result.int(0, 2) ?? 0)
        }
        if estimated {
            countSODARItemsInBackground(token: lastToken.withLock { $0 } ?? 0, projects: totals.projects, categories: totals.categories)
        }
        return (totals, estimated ? 10 : 0)
    }

    /// SODAR's item table has no totals: counting is a scan that turns every payload into
    /// text (1-3 s at 1M items), and the header must not wait for it.
    var sodarCountSQL: String {
        """
        SELECT count(*), coalesce(sum(octet_length(data::text)), 0), count(*) FILTER (WHERE project_id IS NULL)
        FROM \(tables.items)
        """
    }

    /// For a large SODAR table: the row count as the planner estimates it (`reltuples` scaled
    /// to the table's current size), the bytes from the mean text size of the rows in a sample of
    /// `sampledBlocks` blocks, and the site-wide items counted exactly (an index scan). Nil when
    /// the table is small. The sample is the same blocks every time (`REPEATABLE`): a block
    /// read from disk costs milliseconds on a cold cache, and a 0.2% sample (140 blocks at 1M
    /// items) took 0.1-0.6 s there, on the browser's first frame; the same blocks also keep the
    /// estimate from changing between launches.
    func sodarEstimate(_ connection: PGConnection) throws -> (items: Int, bytes: Int, siteItems: Int)? {
        guard let (items, pages) = try sodarPlannerStats(connection), items > exactCountLimit.withLock({ $0 }) else { return nil }
        let percent = min(100, 100 * Double(Self.sampledBlocks) / max(pages, 1))
        let sample = try connection.query(
            """
            SELECT coalesce(avg(octet_length(data::text)), 0)::float8
            FROM \(tables.items) TABLESAMPLE SYSTEM ($1::float8) REPEATABLE (7)
            """, [PGValue(percent)])
        let site = try connection.query("SELECT count(*) FROM \(tables.items) WHERE project_id IS NULL")
        return (items, Int((Double(items) * (sample.double(0, 0) ?? 0)).rounded()), site.int(0, 0) ?? 0)
    }

    /// Blocks read for the estimate of a large SODAR table's bytes (about 14 rows each at 1M items).
    static let sampledBlocks = 24

    /// SODAR's item table's rows as the planner estimates them (`reltuples` scaled to the
    /// table's current size); nil before the table was ever analysed.
    func sodarPlannerRows(_ connection: PGConnection) throws -> Int? {
        try sodarPlannerStats(connection)?.rows
    }

    /// The planner's row estimate and the table's blocks now.
    private func sodarPlannerStats(_ connection: PGConnection) throws -> (rows: Int, pages: Double)? {
        let stats = try connection.query(
            """
            SELECT reltuples::float8, relpages::float8,
                (pg_relation_size(oid) / current_setting('block_size')::bigint)::float8
            FROM pg_class WHERE oid = $1::regclass
            """, [.text(tables.items)])
        guard let tuples = stats.double(0, 0), let pages = stats.double(0, 1), let now = stats.double(0, 2), tuples > 0 else {
            return nil
        }
        return (Int((pages > 0 ? tuples / pages * now : tuples).rounded()), now)
    }

    /// Counts exactly on a connection of its own; the next `totals()` returns the result.
    private func countSODARItemsInBackground(token: Int, projects: Int, categories: Int) {
        // Later: started at once, the scan held the browser's first frame up from ~90 ms to
        // 300-800 ms.
        sodarItemCount.schedule(after: 3) { [weak self] in
            guard let self, let result = backgroundScan(sodarCountSQL) else { return }
            let totals = StoreTotals(
                projects: projects, categories: categories, items: result.int(0, 0) ?? 0, bytes: result.int(0, 1) ?? 0,
                siteItems: result.int(0, 2) ?? 0)
            caches.keep(totals: totals, token: token, reuseFor: 10)
            countsDone.withLock { $0 += 1 }
        }
    }

    /// Changes whenever any transaction that wrote has ended (or started) on the server: the
    /// server's current snapshot (xmin, xmax, transactions in progress), read on a connection of
    /// its own. One cheap statement, no scan, no trigger, no LISTEN: it works the same on a
    /// SODAR site's database, whose writers are SODAR's web workers and Celery tasks.
    public func changeToken() throws -> Int {
        let snapshot = try watcherRead("SELECT pg_current_snapshot()::text") { $0.string(0, 0) ?? "" }
        let token = Self.fnv1a(snapshot) &+ countsDone.withLock { $0 } &* 1_000_003
        lastToken.withLock { $0 = token }
        return token
    }

    /// Runs a read without side effects on the watcher's own connection: after a lost
    /// connection (a server restart), one fresh attempt before reporting it.
    func watcherRead<Value: Sendable>(_ sql: String, _ read: (PGResult) -> Value) throws -> Value {
        try watcher.withLock { connection -> Value in
            for attempt in 0..<2 {
                do {
                    if connection == nil || connection?.isBroken == true { connection = try pool.connect() }
                    return read(try connection!.query(sql))
                } catch let error as PGError {
                    connection = nil
                    if attempt == 1 || !error.isConnectionFailure {
                        throw Self.map(error, location: location.description)
                    }
                }
            }
            throw CacheError.storeUnreachable(location: location.description, reason: "the connection was lost twice")
        }
    }

    // MARK: - Helpers

    /// A column with ASCII letters folded and nothing else, as SQLite's LIKE and the memory
    /// store fold a filter (`lower()` would fold "É" too, and only on this engine).
    static func foldedASCII(_ column: String) -> String {
        "translate(\(column), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
    }

    /// FNV-1a, 64 bits: a stable hash of the snapshot text (Swift's Hasher is seeded per process).
    static func fnv1a(_ text: String) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return Int(truncatingIfNeeded: hash)
    }
}
