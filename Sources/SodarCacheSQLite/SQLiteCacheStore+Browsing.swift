import Foundation
import GRDB
import GRDBSQLite
import SodarCache
import StoreKernel

// MARK: - CacheBrowsing

extension SQLiteCacheStore {
    /// Whether a page is the table's own order: by name, nothing folded (or a filter, which
    /// ignores folds). Those pages, the browser's launch among them, are read by keyset from
    /// the `project_tree` index with each category's subtree totals summed over its key range,
    /// so that they never wait for the whole tree (`listing()`).
    static func inStoredOrder(_ query: ProjectQuery) -> Bool {
        query.order == .name && (query.hasFilter || !query.hasFolds)
    }

    /// Projects after `from` in tree order, or (`backwards`) before it, nearest first, with
    /// their own and subtree totals; nil when `from` is gone (the listing continues where it
    /// stood) or the query is not in the stored order.
    public func keysetProjectRows(
        from: ProjectSummary?, backwards: Bool, limit: Int, query: ProjectQuery
    ) throws -> [ProjectSummary]? {
        guard Self.inStoredOrder(query) else { return nil }
        return try snapshotRead { db -> [ProjectSummary]? in
            var parameters = Parameters(.positional)
            var conditions: [String] = []
            if let from {
                guard let key = try String.fetchOne(
                    db.cachedStatement(sql: "SELECT sort_key FROM project WHERE uuid = ?"), arguments: [from.project.uuid])
                else { return nil }
                conditions.append(
                    "(p.sort_key, p.uuid) \(backwards ? "<" : ">") (\(parameters.bind(key)), \(parameters.bind(from.project.uuid)))")
            }
            if let pattern = Self.likePattern(query.filter) {
                conditions.append("p.full_title LIKE \(parameters.bind(pattern)) ESCAPE '\\'")
            }
            let sql = """
                SELECT \(Self.projectColumns(prefix: "p.")), p.sort_key, p.id, t.items, t.bytes, t.latest,
                    (SELECT count(*) FROM project c WHERE c.parent_uuid = p.uuid)
                FROM project p INDEXED BY project_tree LEFT JOIN project_totals t ON t.project_id = p.id
                \(Parameters.whereClause(conditions))
                ORDER BY p.sort_key \(backwards ? "DESC" : ""), p.uuid \(backwards ? "DESC" : "") LIMIT \(parameters.bind(max(limit, 0)))
                """
            let rows = try Row.fetchAll(db.cachedStatement(sql: sql), arguments: parameters.arguments)
            // A project's subtree: every project whose key is its key or starts with it and U+0001
            // (see v1's sort key), one range of the index, summed once per page.
            var subtrees: [String: ProjectTotals] = [:]
            func subtree(key: String) throws -> ProjectTotals {
                if let known = subtrees[key] { return known }
                let totals = try Row.fetchOne(
                    db.cachedStatement(
                        sql: """
                            SELECT sum(t.items), sum(t.bytes), max(t.latest)
                            FROM project p INDEXED BY project_tree JOIN project_totals t ON t.project_id = p.id
                            WHERE p.sort_key >= ? AND p.sort_key < ? || char(2)
                            """),
                    arguments: [key, key]).map { Self.totals($0, offset: 0) } ?? .zero
                subtrees[key] = totals
                return totals
            }
            var allBytes: Int?
            var page: [ProjectSummary] = []
            for row in rows {
                let project = try Self.project(row)
                let key: String = row[8]
                let children: Int = row[13]
                let totals = ProjectSummary.showsSubtree(type: project.type, childCount: children) ? try subtree(key: key) : nil
                // The share of the parent's bytes (top level: of every project's).
                var parentBytes: Int
                if project.parent != nil, let cut = key.utf8.lastIndex(of: 1) {
                    parentBytes = try subtree(key: String(decoding: key.utf8[..<cut], as: UTF8.self)).bytes
                } else {
                    if allBytes == nil {
                        allBytes = try Int.fetchOne(
                            db.cachedStatement(sql: "SELECT total(bytes) FROM project_totals WHERE project_id != 0")) ?? 0
                    }
                    parentBytes = allBytes ?? 0
                }
                page.append(
                    ProjectSummary(
                        project: project, depth: row[7], own: Self.totals(row, offset: 10), subtree: totals, childCount: children,
                        parentBytes: parentBytes))
            }
            return page
        }
    }

    /// Items, bytes and the latest update (epoch seconds) from three columns at `offset`.
    static func totals(_ row: Row, offset: Int) -> ProjectTotals {
        let items: Int? = row[offset]
        let bytes: Double? = row[offset + 1]
        let latest: Double? = row[offset + 2]
        return ProjectTotals(
            items: items ?? 0, bytes: Int(bytes ?? 0), latestUpdate: latest.map { Date(timeIntervalSince1970: $0) })
    }

    /// The project tree with every project's own totals (`project_totals`), read again after a
    /// change; the tree itself only when the project table changed.
    public func readListing(previous: ProjectListing?) throws -> ProjectListing {
        try snapshotRead { db -> ProjectListing in
            let generation = try Int.fetchOne(db.cachedStatement(sql: "SELECT generation FROM project_generation")) ?? 0
            var tree = previous?.tree
            if tree == nil || previous?.treeVersion != generation {
                // In tree order, with depths and full titles, as the table keeps them: no sort.
                let rows = try Self.treeRows(db)
                tree = ProjectTree(ordered: rows) ?? ProjectTree(rows: rows.map { row in
                    ProjectTree.Row(
                        id: row.id, uuid: row.project.uuid, title: row.project.title, type: row.project.type, parentID: nil,
                        description: row.project.description, path: row.project.path, parentUUID: row.project.parent)
                })
            }
            let own = try Self.ownTotals(db)
            return ProjectListing(tree: tree!, own: own, treeVersion: generation)
        }
    }

    /// Every project in tree order, from the covering index `project_listing`, read through
    /// SQLite's C API (no per-row decoding objects): on the browser's launch path.
    static func treeRows(_ db: Database) throws -> [(id: Int, project: Project, depth: Int)] {
        var rows: [(id: Int, project: Project, depth: Int)] = []
        try forEachRow(
            db,
            """
            SELECT id, uuid, title, type, parent_uuid, description, path, full_title, depth
            FROM project INDEXED BY project_listing ORDER BY sort_key, uuid
            """
        ) { handle in
            guard let uuid = uuidColumn(handle, 1) else {
                throw CorruptRow(row: "project \"\(text(handle, 7) ?? text(handle, 2) ?? "?")\"", reason: "a malformed UUID in uuid")
            }
            let project = Project(
                uuid: uuid, title: text(handle, 2) ?? "", type: text(handle, 3) == "CATEGORY" ? .category : .project,
                parent: uuidColumn(handle, 4), description: text(handle, 5) ?? "", path: text(handle, 6),
                fullTitle: text(handle, 7))
            rows.append((Int(sqlite3_column_int64(handle, 0)), project, Int(sqlite3_column_int64(handle, 8))))
        }
        return rows
    }

    /// Each project's own totals (`project_totals`), by row id.
    static func ownTotals(_ db: Database) throws -> [Int: ProjectTotals] {
        var own: [Int: ProjectTotals] = [:]
        try forEachRow(db, "SELECT project_id, items, bytes, latest FROM project_totals WHERE project_id != 0") { handle in
            let latest = sqlite3_column_type(handle, 3) == SQLITE_NULL ? nil : Date(timeIntervalSince1970: sqlite3_column_double(handle, 3))
            own[Int(sqlite3_column_int64(handle, 0))] = ProjectTotals(
                items: Int(sqlite3_column_int64(handle, 1)), bytes: Int(sqlite3_column_int64(handle, 2)), latestUpdate: latest)
        }
        return own
    }

    /// Steps a cached statement through SQLite's C API, handing each row to `body`.
    private static func forEachRow(_ db: Database, _ sql: String, _ body: (OpaquePointer?) throws -> Void) throws {
        let handle = try db.cachedStatement(sql: sql).sqliteStatement
        sqlite3_reset(handle)
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage) }
            try body(handle)
        }
    }

    private static func text(_ handle: OpaquePointer?, _ column: Int32) -> String? {
        guard let bytes = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// A 16-byte blob column as a UUID (as GRDB stores one); nil for anything else.
    static func uuidColumn(_ handle: OpaquePointer?, _ column: Int32) -> UUID? {
        guard sqlite3_column_bytes(handle, column) == 16, let blob = sqlite3_column_blob(handle, column) else { return nil }
        return UUID(uuid: blob.loadUnaligned(as: uuid_t.self))
    }

    /// Apps after `from` by name, or (`backwards`) before it, nearest first.
    public func appRows(project: UUID?, from: AppSummary?, backwards: Bool, limit: Int, filter: String?) throws -> [AppSummary] {
        try read { db in
            var parameters = Parameters(.positional)
            var conditions = ["project_id = \(parameters.bind(try projectRowID(db, project)))"]
            if let from { conditions.append("app_name \(backwards ? "<" : ">") \(parameters.bind(from.appName))") }
            if let pattern = Self.likePattern(filter) { conditions.append("app_name LIKE \(parameters.bind(pattern)) ESCAPE '\\'") }
            let sql = """
                SELECT app_name, count(*), max(date_modified), total(size)
                FROM cache_item INDEXED BY cache_item_app_size
                \(Parameters.whereClause(conditions))
                GROUP BY app_name ORDER BY app_name \(backwards ? "DESC" : "") LIMIT \(parameters.bind(max(limit, 0)))
                """
            let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: parameters.arguments)
            var page: [AppSummary] = []
            while let row = try rows.next() {
                let latest: Double? = row[2]
                let total: Double = row[3]
                page.append(
                    AppSummary(
                        appName: row[0], itemCount: row[1], latestUpdate: latest.map { Date(timeIntervalSince1970: $0) },
                        totalSize: Int(total)))
            }
            return page
        }
    }

    /// Items after `from` in the sort's order, or (`backwards`) before it, nearest first: the
    /// same index range scanned the other way.
    public func itemRows(
        project: UUID?, app: String?, sort: ItemSort, from: ItemSummary?, backwards: Bool, limit: Int, filter: String?
    ) throws -> [ItemSummary] {
        try read { db in
            var parameters = Parameters(.positional)
            var conditions = ["project_id = \(parameters.bind(try projectRowID(db, project)))"]
            if let app { conditions.append("app_name = \(parameters.bind(app))") }
            if let pattern = Self.likePattern(filter) { conditions.append("name LIKE \(parameters.bind(pattern)) ESCAPE '\\'") }
            if let from {
                conditions.append(
                    sort.keysetSQL(Self.sortColumns, byApp: app == nil, backwards: backwards, after: from) { parameters.bindKey($0) })
            }
            let index = switch sort {
            case .name: "cache_item_key"
            case .updated: app != nil ? "cache_item_app_updated" : "cache_item_updated"
            case .size: app != nil ? "cache_item_app_size" : "cache_item_size"
            }
            let sql = """
                SELECT \(Self.summaryColumns()) FROM cache_item INDEXED BY \(index)
                \(Parameters.whereClause(conditions)) ORDER BY \(sort.orderSQL(Self.sortColumns, byApp: app == nil, backwards: backwards))
                LIMIT \(parameters.bind(max(limit, 0)))
                """
            return try Self.summaries(db.cachedStatement(sql: sql), arguments: parameters.arguments, project: project)
        }
    }

    public func item(uuid: UUID) throws -> CacheItem? {
        if let large = try largeItem(uuid: uuid) { return large }
        return try read { db in
            guard
                let row = try Row.fetchOne(
                    db.cachedStatement(
                        sql: """
                            SELECT i.uuid, p.uuid, i.app_name, i.name, i.user_name, i.user_uuid, i.date_modified, i.data
                            FROM cache_item i LEFT JOIN project p ON p.id = i.project_id WHERE i.uuid = ?
                            """),
                    arguments: [uuid])
            else { return nil }
            return try row.cacheItem()
        }
    }

    /// A large payload (over `ItemReader.inlineLimit`) through the item reader, which reads the
    /// BLOB straight into its `Data`: the browser opening a 50 MB item holds it once, not three
    /// times. Nil for a small or missing item, or when the reader is busy (the caller reads it
    /// the ordinary way).
    private func largeItem(uuid: UUID) throws -> CacheItem? {
        guard let reader = itemReader else { return nil }
        let key = try read { db in
            try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT i.project_id, p.uuid, i.app_name, i.name, i.size
                        FROM cache_item i LEFT JOIN project p ON p.id = i.project_id WHERE i.uuid = ?
                        """),
                arguments: [uuid])
        }
        guard let key else { return nil }
        let (project, app, name, size, projectID) = try guarded {
            let named = key.itemName(app: 2, name: 3)
            return (
                try key.optionalUUID(1, "project uuid", of: named), try key.text(2, "app_name", of: named),
                try key.text(3, "name", of: named), try key.integer(4, "size", of: named),
                Int64(try key.integer(0, "project_id", of: named)))
        }
        guard size > ItemReader.inlineLimit else { return nil }
        let found: ItemReader.Hit??
        do {
            found = try reader.get(projectID: projectID, app: app, name: name)
        } catch {
            throw map(error, app: app, name: name)
        }
        // Busy, or replaced by another item of the same key in between: the ordinary read decides.
        guard let hit = found ?? nil, hit.uuid == uuid else { return nil }
        return try guarded { try hit.item(project: project, app: app, name: name) }
    }

    public func readTotals() throws -> (totals: StoreTotals, reuseFor: TimeInterval) {
        // Item count, bytes and site-wide count are kept by triggers in `cache_totals` (v3):
        // counting a million rows took 60-250 ms and paged a scattered index through memory.
        let totals = try read { db in
            let row = try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT (SELECT count(*) FROM project WHERE type = 'PROJECT'),
                            (SELECT count(*) FROM project WHERE type = 'CATEGORY'), items, bytes, site_items
                        FROM cache_totals
                        """))
            return StoreTotals(
                projects: row?[0] ?? 0, categories: row?[1] ?? 0, items: row?[2] ?? 0, bytes: row?[3] ?? 0,
                siteItems: row?[4] ?? 0)
        }
        return (totals, 0)
    }

    public func changeToken() throws -> Int {
        if let opened = fileIdentity, FileIdentity(path: path) != opened {
            throw CacheError.storeReplaced(location: path)
        }
        if let changeWatcher {
            do {
                return try changeWatcher.token()
            } catch {
                throw map(error)
            }
        }
        // No connection of its own: data_version is per connection and ignores that
        // connection's own commits, so read it on the writer and add the writer's commits.
        let version = try guarded {
            try pool.writeWithoutTransaction { db in
                try Int.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")) ?? 0
            }
        }
        return version &+ ownCommits.withLock { $0 }
    }

    // MARK: - Helpers

    /// A statement's parameters, as SQLite's `?`.
    typealias Parameters = SQLParameters<(any DatabaseValueConvertible)?>

    /// An item's columns as `StoredRow.itemSummary` reads them, its project's UUID from `project`.
    static func summaryColumns(project: String = "NULL", prefix: String = "") -> String {
        "\(prefix)uuid, \(project), \(prefix)app_name, \(prefix)name, \(prefix)user_name, NULL, \(prefix)date_modified, \(prefix)size"
    }

    /// The item table's sort columns (`ItemSort`'s keyset).
    static let sortColumns = ItemSort.Columns(app: "app_name", name: "name", updated: "date_modified", size: "size", uuid: "uuid")

    /// A LIKE pattern matching `filter` anywhere (ASCII case-insensitive), or nil for no filter.
    static func likePattern(_ filter: String?) -> String? {
        guard let filter, !filter.isEmpty else { return nil }
        var escaped = ""
        for character in filter {
            if character == "\\" || character == "%" || character == "_" { escaped.append("\\") }
            escaped.append(character)
        }
        return "%" + escaped + "%"
    }

    /// Reads `summaryColumns()` rows of one project (nil: site-wide).
    static func summaries(_ statement: Statement, arguments: StatementArguments, project: UUID?) throws -> [ItemSummary] {
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        var page: [ItemSummary] = []
        while let row = try rows.next() { page.append(try row.itemSummary(project: .some(project))) }
        return page
    }

    /// Items in (project tree order, app, name) order, site-wide items first, keyset-paged.
    ///
    /// Walks one scope at a time so that every step is an index range scan: the rest of
    /// the `after` item's scope, then the following projects in tree order.
    func groupedItems(_ db: Database, matching filter: CacheFilter, after: ItemSummary?, limit: Int) throws -> [ItemSummary] {
        guard limit > 0 else { return [] }
        var page: [ItemSummary] = []
        // 1. The scope the previous page ended in, or the first scope.
        let firstScope: UUID?
        switch filter.scope {
        case .site: firstScope = nil
        case .project(let uuid): firstScope = uuid
        case .all: firstScope = after.map { $0.project } ?? nil
        }
        var first = Parameters(.positional)
        var firstConditions = ["project_id = \(first.bind(try projectRowID(db, firstScope)))"] + Self.conditions(filter, &first)
        if let after, after.project == firstScope {
            firstConditions.append(
                ItemSort.name.keysetSQL(Self.sortColumns, byApp: true, backwards: false, after: after) { first.bindKey($0) })
        }
        let firstSQL = """
            SELECT \(Self.summaryColumns()) FROM cache_item INDEXED BY cache_item_key
            \(Parameters.whereClause(firstConditions)) ORDER BY app_name, name LIMIT \(first.bind(limit))
            """
        page += try Self.summaries(db.cachedStatement(sql: firstSQL), arguments: first.arguments, project: firstScope)
        guard case .all = filter.scope, page.count < limit else { return page }
        // 2. The following projects, in tree order.
        var following = Parameters(.positional)
        var projectConditions: [String] = []
        if let firstScope {
            projectConditions.append(
                "(p.sort_key, p.uuid) > ((SELECT sort_key FROM project WHERE uuid = \(following.bind(firstScope))), \(following.bind(firstScope)))")
        }
        projectConditions += Self.conditions(filter, &following).map { "i." + $0 }
        let sql = """
            SELECT \(Self.summaryColumns(project: "p.uuid", prefix: "i."))
            FROM project p INDEXED BY project_tree
            CROSS JOIN cache_item i INDEXED BY cache_item_key ON i.project_id = p.id
            \(Parameters.whereClause(projectConditions))
            ORDER BY p.sort_key, p.uuid, i.app_name, i.name LIMIT \(following.bind(limit - page.count))
            """
        let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: following.arguments)
        return page + (try Self.summariesWithProjects(rows))
    }

    /// Rows of `summaryColumns(project:)`, each with its project's UUID, as summaries.
    static func summariesWithProjects(_ rows: RowCursor) throws -> [ItemSummary] {
        var page: [ItemSummary] = []
        while let row = try rows.next() { page.append(try row.itemSummary()) }
        return page
    }
}
