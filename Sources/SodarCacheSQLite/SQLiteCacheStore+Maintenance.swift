import Foundation
import GRDB
import SodarCache
import StoreKernel

// MARK: - CacheMaintenance

extension SQLiteCacheStore {
    public func items(matching filter: CacheFilter, after: ItemSummary?, limit: Int) throws -> [ItemSummary] {
        try read { db in try itemPage(db, matching: filter, after: after, limit: limit) }
    }

    public func forEachItemPage(
        matching filter: CacheFilter, pageSize: Int, _ body: ([ItemSummary]) throws -> Void
    ) throws {
        let limit = max(1, pageSize)
        try snapshotOfItsOwn { db in
            try Self.walkPages(limit: limit, { after in try itemPage(db, matching: filter, after: after, limit: limit) }, body)
        }
    }

    /// One read transaction (a WAL snapshot that later commits do not change) on a connection
    /// of its own, so that a caller's `body` may call the store meanwhile.
    private func snapshotOfItsOwn(_ body: (Database) throws -> Void) throws {
        let connection = try guarded {
            try DatabaseQueue(path: connectionPath, configuration: Self.configuration(readOnly: true, busyTimeout: busyTimeout))
        }
        try guarded { try connection.read(body) }
    }

    public func scanItems(
        scope: CacheFilter.Scope, appName: String?, pageSize: Int, _ body: ([ItemSummary]) throws -> Void
    ) throws {
        let limit = max(1, pageSize)
        try snapshotOfItsOwn { db in
            // Project UUIDs by row id, read once: no join per item. An item whose project_id
            // is not among them belongs to a project that is gone.
            var projects: [Int64: UUID] = [:]
            let projectRows = try Row.fetchCursor(db, sql: "SELECT id, uuid FROM project")
            while let row = try projectRows.next() {
                let id: Int64 = row[0]
                projects[id] = try row.uuid(1, "uuid", of: CorruptRow(row: "project row \(id)", reason: ""))
            }
            // The first parameter is the last row id read.
            var parameters = Parameters(.positional)
            let conditions = ["id > \(parameters.bind(Int64(0)))"]
                + (try scopedConditions(db, CacheFilter(scope: scope, appName: appName), &parameters))
            let statement = try db.cachedStatement(
                sql: """
                    SELECT \(Self.summaryColumns()), id, project_id FROM cache_item \(Parameters.whereClause(conditions))
                    ORDER BY id LIMIT \(parameters.bind(limit))
                    """)
            var last: Int64 = 0
            while true {
                parameters.values[0] = last
                let rows = try Row.fetchCursor(statement, arguments: parameters.arguments)
                var page: [ItemSummary] = []
                var count = 0
                while let row = try rows.next() {
                    count += 1
                    last = row[8]
                    let projectID: Int64 = row[9]
                    if projectID == 0 {
                        page.append(try row.itemSummary(project: .some(nil)))
                    } else if let project = projects[projectID] {
                        page.append(try row.itemSummary(project: project))
                    }
                }
                if !page.isEmpty { try body(page) }
                if count < limit { return }
            }
        }
    }

    public func countItems(matching filter: CacheFilter) throws -> [String: Int] {
        try read { db in
            var parameters = Parameters(.positional)
            let conditions = try scopedConditions(db, filter, &parameters)
            let rows = try Row.fetchCursor(
                db,
                sql: "SELECT app_name, count(*) FROM cache_item \(Parameters.whereClause(conditions)) GROUP BY app_name",
                arguments: parameters.arguments)
            var counts: [String: Int] = [:]
            while let row = try rows.next() { counts[row[0]] = row[1] }
            return counts
        }
    }

    public func appTotals() throws -> [AppTotals] {
        try read { db in
            // The (project_id, app_name, size, uuid, date_modified) index covers it: no payload
            // page is read.
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT app_name, count(*), sum(size), min(date_modified), max(date_modified)
                    FROM cache_item INDEXED BY cache_item_app_size GROUP BY app_name ORDER BY app_name
                    """)
            var totals: [AppTotals] = []
            while let row = try rows.next() {
                let oldest: Double? = row[3]
                let newest: Double? = row[4]
                totals.append(
                    AppTotals(
                        appName: row[0], items: row[1], bytes: row[2], oldest: oldest.map(Date.init(timeIntervalSince1970:)),
                        newest: newest.map(Date.init(timeIntervalSince1970:))))
            }
            return totals
        }
    }

    @discardableResult
    public func deleteItems(matching filter: CacheFilter) throws -> Int {
        let count = try deleteTransaction(audit: { .deleted($0, AuditNote.describe(filter)) }) { db -> Int in
            try deleteRows(db, matching: filter)
        }
        logger.debug("Deleted \(count) cached items matching a filter")
        return count
    }

    @discardableResult
    public func deleteItems(uuids: [UUID]) throws -> Int {
        if uuids.isEmpty { return 0 }
        let count = try deleteTransaction(audit: { .deletedByUUID($0) }) { db -> Int in
            let statement = try db.cachedStatement(sql: "DELETE FROM cache_item WHERE uuid = ?")
            var deleted = 0
            for uuid in uuids {
                try statement.execute(arguments: [uuid])
                deleted += db.changesCount
            }
            return deleted
        }
        logger.debug("Deleted \(count) cached items by UUID")
        return count
    }

    @discardableResult
    public func deleteItems(shown: [UUID: ShownItem]) throws -> (deleted: Int, changed: Int) {
        if shown.isEmpty { return (0, 0) }
        let result = try deleteTransaction(audit: { .deletedAsShown($0) }) { db -> (Int, Int) in
            let delete = try db.cachedStatement(sql: "DELETE FROM cache_item WHERE uuid = ? AND date_modified <= ?")
            let present = try db.cachedStatement(sql: "SELECT count(*) FROM cache_item WHERE uuid = ?")
            var deleted = 0, changed = 0
            // Every write to this store moves date_modified: it is the row version here.
            for (uuid, item) in shown {
                try delete.execute(arguments: [uuid, item.dateModified.timeIntervalSince1970])
                if db.changesCount > 0 {
                    deleted += 1
                } else if try Int.fetchOne(present, arguments: [uuid]) ?? 0 > 0 {
                    changed += 1
                }
            }
            return (deleted, changed)
        }
        logger.debug("Deleted \(result.0) cached items by UUID, kept \(result.1) changed since shown")
        return result
    }

    // MARK: - Space

    /// Rebuilds the file without its free pages (SQLite's VACUUM), then checkpoints the
    /// write-ahead log so that the file shrinks. Readers in other processes may go on; a writer
    /// holding the store past the busy timeout makes it fail with `CacheError.storeBusy`.
    public func reclaimSpace() throws -> SpaceReport {
        if readOnly {
            throw CacheError.storeUnwritable(location: path, reason: readOnlyReason())
        }
        let before = fileBytes()
        let complete = try guarded {
            try pool.writeWithoutTransaction { db -> Bool in
                try db.execute(sql: "VACUUM")
                // (busy, frames in the log, frames checkpointed); busy = 1 when readers held it back.
                let row = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                let busy: Int = row?[0] ?? 1
                return busy == 0
            }
        }
        ownCommits.withLock { $0 += 1 }
        let result = SpaceReport(bytesBefore: before, bytesAfter: fileBytes(), complete: complete)
        logger.debug("Vacuumed \(path): \(result.bytesBefore) -> \(result.bytesAfter) bytes")
        return result
    }

    /// The bytes of the store file and its write-ahead log.
    func fileBytes() -> Int64 {
        ["", SQLiteFiles.wal].reduce(Int64(0)) { total, suffix in
            let size = (try? FileManager.default.attributesOfItem(atPath: path + suffix)[.size] as? NSNumber)?.int64Value
            return total + (size ?? 0)
        }
    }

    // MARK: - Helpers

    /// Deletes every item `filter` matches; the caller holds the transaction.
    func deleteRows(_ db: Database, matching filter: CacheFilter) throws -> Int {
        var parameters = Parameters(.positional)
        let conditions = try scopedConditions(db, filter, &parameters)
        try db.execute(sql: "DELETE FROM cache_item \(Parameters.whereClause(conditions))", arguments: parameters.arguments)
        return db.changesCount
    }

    /// One keyset page of `items(matching:)` on `db`.
    private func itemPage(
        _ db: Database, matching filter: CacheFilter, after: ItemSummary?, limit: Int
    ) throws -> [ItemSummary] {
        if filter.appNotIn != nil { return try orphans(db, matching: filter, after: after, limit: limit) }
        return try groupedItems(db, matching: filter, after: after, limit: limit)
    }

    /// Orphans have no place in the project tree (their project may be gone): they are listed
    /// by item UUID instead, still keyset-paged.
    private func orphans(
        _ db: Database, matching filter: CacheFilter, after: ItemSummary?, limit: Int
    ) throws -> [ItemSummary] {
        var parameters = Parameters(.positional)
        var conditions = try scopedConditions(db, filter, &parameters)
        if let after { conditions.append("uuid > \(parameters.bind(after.uuid))") }
        let sql = """
            SELECT \(Self.summaryColumns(project: "(SELECT p.uuid FROM project p WHERE p.id = project_id)"))
            FROM cache_item \(Parameters.whereClause(conditions)) ORDER BY uuid LIMIT \(parameters.bind(limit))
            """
        let rows = try Row.fetchCursor(db, sql: sql, arguments: parameters.arguments)
        return try Self.summariesWithProjects(rows)
    }

    /// SQL conditions (unqualified column names) for everything in `filter` but its scope, their
    /// values bound in `parameters`.
    static func conditions(_ filter: CacheFilter, _ parameters: inout Parameters) -> [String] {
        var conditions: [String] = []
        if let app = filter.appName { conditions.append("app_name = \(parameters.bind(app))") }
        if let olderThan = filter.olderThan { conditions.append("date_modified < \(parameters.bind(olderThan.timeIntervalSince1970))") }
        if let excluded = filter.appNotIn {
            // Orphans: an app no longer registered, or a project no longer there (items have no
            // foreign key to their project: site-wide items use project_id 0).
            let missingProject = "(project_id != 0 AND NOT EXISTS (SELECT 1 FROM project o WHERE o.id = project_id))"
            if excluded.isEmpty {
                conditions.append(missingProject)
            } else {
                let list = excluded.sorted().map { parameters.bind($0) }.joined(separator: ", ")
                conditions.append("(app_name NOT IN (\(list)) OR \(missingProject))")
            }
        }
        return conditions
    }

    /// The filter's scope, then `conditions(_:_:)`.
    func scopedConditions(_ db: Database, _ filter: CacheFilter, _ parameters: inout Parameters) throws -> [String] {
        let scope: [String]
        switch filter.scope {
        case .all: scope = []
        case .site: scope = ["project_id = 0"]
        case .project(let uuid): scope = ["project_id = \(parameters.bind(try projectRowID(db, uuid)))"]
        }
        return scope + Self.conditions(filter, &parameters)
    }
}
